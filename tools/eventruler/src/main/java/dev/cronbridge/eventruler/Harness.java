package dev.cronbridge.eventruler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.event.ruler.Machine;

/**
 * Reads one request per line on standard input, {"pattern": {...}, "event": {...}},
 * and answers one line per request: "true" or "false" (does the pattern match the
 * event?), or "error: <message>" when event-ruler rejects the pattern or the event.
 *
 * <p>One process serves many requests because starting a JVM costs far more than a
 * match. Matching uses {@code Machine.rulesForJSONEvent}, the JSON-aware API that keeps
 * the fields of one array element together (a pattern on containers' name and exitCode
 * matches only when one container has both).
 */
public final class Harness {
  private Harness() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode req = mapper.readTree(line);
        Machine m = new Machine();
        m.addRule("r", mapper.writeValueAsString(req.get("pattern")));
        List<String> hits = m.rulesForJSONEvent(mapper.writeValueAsString(req.get("event")));
        out.println(hits.contains("r") ? "true" : "false");
      } catch (Exception e) {
        out.println("error: " + String.valueOf(e.getMessage()).replace('\n', ' '));
      }
    }
  }
}
