package io.smlguardian.store.backup.archive;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The checksums of one byte stream as an archive keeps them: its length, SHA-256 and CRC-32 (the
 * zip entry needs it), and the SHA-256 of each block of a fixed size, so that a damaged byte can be
 * located to its block.
 */
final class BlockDigest {

  private final int blockBytes;
  private final MessageDigest whole = newSha256();
  private final MessageDigest block = newSha256();
  private final CRC32 crc = new CRC32();
  private final List<String> blocks = new ArrayList<>();
  private long length;
  private int inBlock;

  BlockDigest(int blockBytes) {
    if (blockBytes < 1) {
      // A block of no bytes never completes: update would loop for ever.
      throw new IllegalArgumentException("blocks of " + blockBytes + " bytes");
    }
    this.blockBytes = blockBytes;
  }

  void update(byte[] bytes, int offset, int count) {
    whole.update(bytes, offset, count);
    crc.update(bytes, offset, count);
    length += count;
    while (count > 0) {
      int n = Math.min(count, blockBytes - inBlock);
      block.update(bytes, offset, n);
      inBlock += n;
      offset += n;
      count -= n;
      if (inBlock == blockBytes) {
        blocks.add(HexFormat.of().formatHex(block.digest()));
        inBlock = 0;
      }
    }
  }

  /** Ends the stream: the last partial block gets its hash. Call once. */
  BlockDigest finish() {
    if (inBlock > 0) {
      blocks.add(HexFormat.of().formatHex(block.digest()));
      inBlock = 0;
    }
    return this;
  }

  long length() {
    return length;
  }

  /** The hashes of the blocks completed so far. */
  List<String> blocks() {
    return blocks;
  }

  /** The SHA-256 of everything; ends this digest. */
  String sha256() {
    return HexFormat.of().formatHex(whole.digest());
  }

  long crc() {
    return crc.getValue();
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
