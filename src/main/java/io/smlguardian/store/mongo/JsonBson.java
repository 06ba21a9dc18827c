package io.smlguardian.store.mongo;

import io.smlguardian.store.collection.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Converts the free-form JSON fields of a record to BSON and back, so that they are stored as
 * embedded documents and arrays that MongoDB tools can read, not as text.
 *
 * <p>JSON has one kind of number; BSON has several, and a number must come back with the value it
 * was given: integers are stored as int32 or int64, other numbers as a double when the double has
 * exactly the given value (0.7 does, since its shortest decimal form is "0.7"), and otherwise as a
 * decimal128, which keeps 34 significant digits exactly. Only the value is kept, not the spelling:
 * {@code 1.50} comes back as {@code 1.5}. Numbers beyond 34 significant digits are rounded to 34;
 * numbers beyond decimal128's exponent range (about 10^6144) are refused.
 */
final class JsonBson {

  private JsonBson() {}

  static BsonValue toBson(JsonValue json) {
    return switch (json.getValueType()) {
      case OBJECT -> {
        BsonDocument document = new BsonDocument();
        json.asJsonObject().forEach((key, value) -> document.append(key, toBson(value)));
        yield document;
      }
      case ARRAY -> new BsonArray(json.asJsonArray().stream().map(JsonBson::toBson).toList());
      case STRING -> new BsonString(((JsonString) json).getString());
      case NUMBER -> number((JsonNumber) json);
      case TRUE -> BsonBoolean.TRUE;
      case FALSE -> BsonBoolean.FALSE;
      case NULL -> BsonNull.VALUE;
    };
  }

  static JsonValue toJson(BsonValue bson) {
    return switch (bson.getBsonType()) {
      case DOCUMENT -> {
        JsonObjectBuilder object = Jsonp.PROVIDER.createObjectBuilder();
        for (Map.Entry<String, BsonValue> entry : bson.asDocument().entrySet()) {
          object.add(entry.getKey(), toJson(entry.getValue()));
        }
        yield object.build();
      }
      case ARRAY -> {
        JsonArrayBuilder array = Jsonp.PROVIDER.createArrayBuilder();
        bson.asArray().forEach(item -> array.add(toJson(item)));
        yield array.build();
      }
      case STRING -> Jsonp.PROVIDER.createValue(bson.asString().getValue());
      case INT32 -> Jsonp.PROVIDER.createValue(bson.asInt32().getValue());
      case INT64 -> Jsonp.PROVIDER.createValue(bson.asInt64().getValue());
      case DOUBLE -> Jsonp.PROVIDER.createValue(bson.asDouble().getValue());
      case DECIMAL128 ->
          Jsonp.PROVIDER.createValue(bson.asDecimal128().getValue().bigDecimalValue());
      case BOOLEAN -> bson.asBoolean().getValue() ? JsonValue.TRUE : JsonValue.FALSE;
      case NULL -> JsonValue.NULL;
      default -> throw new IllegalStateException("a JSON field holds BSON " + bson.getBsonType());
    };
  }

  private static BsonValue number(JsonNumber number) {
    BigDecimal value = number.bigDecimalValue();
    if (number.isIntegral()) {
      try {
        long integer = value.longValueExact();
        return integer == (int) integer ? new BsonInt32((int) integer) : new BsonInt64(integer);
      } catch (ArithmeticException beyondLong) {
        return decimal(value);
      }
    }
    double approximation = value.doubleValue();
    if (Double.isFinite(approximation) && BigDecimal.valueOf(approximation).compareTo(value) == 0) {
      return new BsonDouble(approximation);
    }
    return decimal(value);
  }

  private static BsonValue decimal(BigDecimal value) {
    try {
      return new BsonDecimal128(new Decimal128(value.round(MathContext.DECIMAL128)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the number " + value + " cannot be stored in MongoDB", e);
    }
  }
}
