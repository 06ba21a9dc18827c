package io.smlguardian.store.encryption;

import io.smlguardian.store.collection.InvalidRequestException;
import io.smlguardian.store.collection.query.QueryParser;
import io.smlguardian.store.security.AllowedRoles;
import io.smlguardian.store.security.Callers;
import io.smlguardian.store.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
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
  public JsonObject state() {
    KeyEncryptionKeys.Kek current = keks.current();
    JsonArrayBuilder list = Json.createArrayBuilder();
    java.util.Set<String> inUse = new java.util.TreeSet<>();
    for (KeyEncryptionKeys.Kek kek : keks.all()) {
      inUse.add(kek.masterKeyId());
      list.add(
          Json.createObjectBuilder()
              .add("id", kek.id().toString())
              .add("createdAt", kek.createdAt().toString())
              .add("masterKeyId", kek.masterKeyId())
              .add("usable", kek.usable())
              .add("current", kek.id().equals(current.id())));
    }
    JsonArrayBuilder previous = Json.createArrayBuilder();
    config.masterKeys().stream()
        .skip(1)
        .forEach(
            master ->
                previous.add(
                    Json.createObjectBuilder()
                        .add("id", master.id())
                        .add("wrapsKeyEncryptionKeys", inUse.contains(master.id()))));
    return Json.createObjectBuilder()
        .add("masterKeyId", config.masterKey().id())
        .add("previousMasterKeys", previous)
        .add("keyEncryptionKeys", list)
        .add("escrows", Json.createArrayBuilder(escrow.names()))
        .add(
            "settings",
            Json.createObjectBuilder()
                .add("keyDirectory", config.keyDirectory().toString())
                .add(
                    "rotationInterval",
                    config.rotationInterval().map(Object::toString).orElse("off"))
                .add("retention", config.retention().toString())
                .add("cacheTtl", config.cacheTtl().toString()))
        .build();
  }

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
  public JsonObject rotation(@PathParam("executionId") String executionId) {
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
    return Response.status(Response.Status.CREATED).entity(escrow.write().toJson()).build();
  }

  @POST
  @Path("escrows/{name}/import")
  @Operation(
      summary = "Import a key escrow",
      description =
          "Adds the escrow's data keys that the database lacks (a disaster recovery from an"
              + " archive, which carries no keys). The escrow must be in KEY_DIR. 404 when it is"
              + " not; keys already present are left as they are.")
  public JsonObject importEscrow(@PathParam("name") String name) {
    if (!KeyEscrow.validName(name)) {
      throw new InvalidRequestException("Not a key escrow's name: escrow-<millis>-<hex>.jsonl");
    }
    try {
      return escrow.importKeys(name).toJson();
    } catch (NoSuchFileException e) {
      throw new NotFoundException("No key escrow " + name + " in KEY_DIR.");
    }
  }
}
