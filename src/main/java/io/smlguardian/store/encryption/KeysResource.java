package io.smlguardian.store.encryption;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The key hierarchy for operators: its state, rotations, key escrows. Never a key itself. */
@Path("keys")
@PermitAll // to the container; AllowedRoles decide (see AuthorizationFilter)
@AllowedRoles(Role.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Keys")
public class KeysResource {

  @Inject EncryptionConfig config;
  @Inject KeyEncryptionKeys keks;
  @Inject KeyEscrow escrow;
  @Inject KeyRotationJobs rotations;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @GET
  @Operation(
      summary = "The key hierarchy's state",
      description =
          "The current master key's id and the previous ones configured, every key-encryption key"
              + " (id, creation, the master key that wraps it, whether this server can open it,"
              + " which is current), the key escrows, and the settings. No previous master key"
              + " wraps a key-encryption key any more: it can be retired.")
  public State state() {
    KeyEncryptionKeys.Kek current = keks.current();
    List<KekView> list = new ArrayList<>();
    Set<String> inUse = new TreeSet<>();
    for (KeyEncryptionKeys.Kek kek : keks.all()) {
      inUse.add(kek.masterKeyId());
      list.add(
          new KekView(
              kek.id(),
              kek.createdAt(),
              kek.masterKeyId(),
              kek.usable(),
              kek.id().equals(current.id())));
    }
    List<PreviousMasterKey> previous =
        config.masterKeys().stream()
            .skip(1)
            .map(master -> new PreviousMasterKey(master.id(), inUse.contains(master.id())))
            .toList();
    return new State(
        config.masterKey().id(),
        previous,
        list,
        escrow.names(),
        new Settings(
            config.keyDirectory().toString(),
            config.rotationInterval().map(Object::toString).orElse("off"),
            config.retention().toString(),
            config.cacheTtl().toString()));
  }

  /** The key hierarchy's state: ids and settings, never a key. */
  @JsonbPropertyOrder({
    "masterKeyId",
    "previousMasterKeys",
    "keyEncryptionKeys",
    "escrows",
    "settings"
  })
  public record State(
      String masterKeyId,
      List<PreviousMasterKey> previousMasterKeys,
      List<KekView> keyEncryptionKeys,
      List<String> escrows,
      Settings settings) {}

  /**
   * A previous master key still configured.
   *
   * @param wrapsKeyEncryptionKeys false once no key-encryption key needs it: it can be retired
   */
  @JsonbPropertyOrder({"id", "wrapsKeyEncryptionKeys"})
  public record PreviousMasterKey(String id, boolean wrapsKeyEncryptionKeys) {}

  /**
   * A key-encryption key, without the key.
   *
   * @param usable whether this server can open it
   * @param current whether new data keys are wrapped under it
   */
  @JsonbPropertyOrder({"id", "createdAt", "masterKeyId", "usable", "current"})
  public record KekView(
      UUID id, Instant createdAt, String masterKeyId, boolean usable, boolean current) {}

  /** The hierarchy's settings; durations as ISO-8601, the rotation interval "off" when off. */
  @JsonbPropertyOrder({"keyDirectory", "rotationInterval", "retention", "cacheTtl"})
  public record Settings(
      String keyDirectory, String rotationInterval, String retention, String cacheTtl) {}

  @POST
  @Path("rotations")
  @Operation(
      summary = "Rotate the key-encryption keys now",
      description =
          "Starts the key-rotation job; 202 with the run. newKek=false only re-wraps and retires."
              + " retention (ISO-8601, at most KEY_RETENTION) destroys superseded keys sooner, e.g."
              + " PT0S after an erasure that must reach old database dumps at once. 409 while a"
              + " rotation runs.")
  public Response rotate(
      @QueryParam("newKek") @DefaultValue("true") String newKek,
      @QueryParam("retention") String retention) {
    if (!newKek.equals("true") && !newKek.equals("false")) {
      throw new InvalidRequestException("newKek must be true or false");
    }
    long executionId =
        rotations.start(
            Callers.of(security, request).subject(), Boolean.parseBoolean(newKek), retention);
    return Response.accepted(rotations.run(executionId)).build();
  }

  @GET
  @Path("rotations/{executionId}")
  @Operation(summary = "One key rotation: status and, once done, what it did")
  public KeyRotationJobs.Rotation rotation(@PathParam("executionId") String executionId) {
    return rotations.run(QueryParser.integer("executionId", executionId, 1, Integer.MAX_VALUE));
  }

  @POST
  @Path("escrows")
  @Operation(
      summary = "Write a key escrow now",
      description =
          "Every user's data key into a new escrow file in KEY_DIR (deleted by the rotation once"
              + " older than KEY_RETENTION); 201 with its name and count.")
  public Response writeEscrow() {
    return Response.status(Response.Status.CREATED).entity(escrow.write()).build();
  }

  @POST
  @Path("escrows/{name}/import")
  @Operation(
      summary = "Import a key escrow",
      description =
          "Adds the escrow's data keys that the database lacks (a disaster recovery from an"
              + " archive, which carries no keys). The escrow must be in KEY_DIR. 404 when it is"
              + " not; keys already present are left as they are.")
  public KeyEscrow.Summary importEscrow(@PathParam("name") String name) {
    if (!KeyEscrow.validName(name)) {
      throw new InvalidRequestException("Not a key escrow's name: escrow-<millis>-<hex>.jsonl");
    }
    try {
      return escrow.importKeys(name);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("No key escrow " + name + " in KEY_DIR.");
    }
  }
}
