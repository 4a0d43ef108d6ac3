package io.wafleet.functions.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.common.schema.CompositeIndexes;
import io.wafleet.functions.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * firestore.indexes.json (repository root) declares exactly the composite indexes the code's queries
 * need, as listed in {@link CompositeIndexes}: none missing (production would refuse the query),
 * none extra (every index costs writes).
 */
class FirestoreIndexesTest {

  static final Path FILE = Path.of("..", "firestore.indexes.json");

  private static Set<CompositeIndexes.Index> declared() throws Exception {
    JsonNode root = Json.mapper().readTree(Files.readAllBytes(FILE));
    Set<CompositeIndexes.Index> out = new HashSet<>();
    for (JsonNode index : root.path("indexes")) {
      assertEquals("COLLECTION", index.path("queryScope").asText(), index.toString());
      List<CompositeIndexes.Field> fields = new ArrayList<>();
      for (JsonNode f : index.path("fields")) {
        fields.add(new CompositeIndexes.Field(f.path("fieldPath").asText(),
            CompositeIndexes.Order.valueOf(f.path("order").asText())));
      }
      assertTrue(out.add(new CompositeIndexes.Index(index.path("collectionGroup").asText(), fields)),
          "declared twice: " + index);
    }
    return out;
  }

  @Test
  void indexesFile_declaresEveryRequiredIndex() throws Exception {
    Set<CompositeIndexes.Index> declared = declared();
    for (CompositeIndexes.Index required : CompositeIndexes.ALL) {
      assertTrue(declared.contains(required), "firestore.indexes.json lacks " + required);
    }
  }

  @Test
  void indexesFile_declaresNoIndexThatNoQueryNeeds() throws Exception {
    Set<CompositeIndexes.Index> extra = declared();
    extra.removeAll(CompositeIndexes.ALL);
    assertTrue(extra.isEmpty(), "indexes no query needs (add the query to CompositeIndexes or drop them): " + extra);
  }

  @Test
  void indexesFile_isValidJsonWithFieldOverrides() throws Exception {
    assertTrue(Json.mapper().readTree(Files.readAllBytes(FILE)).path("fieldOverrides").isArray());
  }
}
