package dev.distribank.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/Dockerfile copies every module's pom before go-offline: Maven refuses a reactor with a module missing. */
class DockerfileTest {

  @Test
  void dockerfile_copiesThePomOfEveryModuleTheRootPomLists() throws IOException {
    List<String> modules = all(Pattern.compile("<module>([^<]+)</module>"), RepoFiles.read("pom.xml"));
    List<String> copied = all(Pattern.compile("(?m)^COPY ([^ ]+)/pom\\.xml \\1/$"), RepoFiles.read("deploy/Dockerfile"));

    assertEquals(modules, copied, "deploy/Dockerfile's `COPY <module>/pom.xml <module>/` lines, in the root pom's order");
  }

  private static List<String> all(Pattern p, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
