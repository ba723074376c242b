package dev.breaker.testing;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the tests find a program they need (Chrome, chromedriver): the system property over the environment variable
 * over the candidates, and a failure that says how to get it. Real files in a temporary directory.
 */
class ExternalProgramTests {

    @TempDir
    Path dir;

    private final Map<String, String> properties = new HashMap<>();

    private final Map<String, String> environment = new HashMap<>();

    private Path fromProperty;

    private Path fromVariable;

    private Path debian;

    private Path onPath;

    @BeforeEach
    void createPrograms() throws IOException {
        fromProperty = executable("by-property/chrome");
        fromVariable = executable("by-variable/chrome");
        debian = executable("usr/bin/chromium");
        onPath = executable("bin/google-chrome");
        environment.put("PATH", dir.resolve("empty") + File.pathSeparator + onPath.getParent());
    }

    private ExternalProgram chrome() {
        return new ExternalProgram("Chrome or Chromium", "breaker.test.chrome", "BREAKER_TEST_CHROME",
                List.of(debian.toString(), "chromium", "google-chrome"), "Install Chromium: apt-get install chromium");
    }

    private Path locate(ExternalProgram program) {
        return program.locate(properties::get, environment::get);
    }

    @Test
    void propertyWinsOverVariableAndCandidates() {
        properties.put("breaker.test.chrome", fromProperty.toString());
        environment.put("BREAKER_TEST_CHROME", fromVariable.toString());

        assertThat(locate(chrome())).isEqualTo(fromProperty);
    }

    @Test
    void variableWinsOverCandidates_whenThePropertyIsUnsetOrBlank() {
        environment.put("BREAKER_TEST_CHROME", fromVariable.toString());
        assertThat(locate(chrome())).isEqualTo(fromVariable);

        properties.put("breaker.test.chrome", " ");
        assertThat(locate(chrome())).isEqualTo(fromVariable);
    }

    @Test
    void candidatesInOrder_anAbsolutePathAsItIs_aBareNameOnThePath() throws IOException {
        assertThat(locate(chrome())).isEqualTo(debian);

        Files.delete(debian);
        assertThat(locate(chrome())).isEqualTo(onPath);
    }

    @Test
    void aFileThatIsNotExecutable_isPassedOver() throws IOException {
        Files.setPosixFilePermissions(debian, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(locate(chrome())).isEqualTo(onPath);
    }

    @Test
    void aPropertyPointingNowhere_failsNamingIt_insteadOfFallingBack() {
        properties.put("breaker.test.chrome", "/nowhere/chrome");

        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> locate(chrome()))
                .withMessageStartingWith("system property breaker.test.chrome is '/nowhere/chrome', "
                        + "which is not an executable file. Point it at Chrome or Chromium, or unset it");
    }

    @Test
    void aVariablePointingAtADirectory_failsNamingIt() {
        environment.put("BREAKER_TEST_CHROME", dir.toString());

        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> locate(chrome()))
                .withMessageStartingWith("environment variable BREAKER_TEST_CHROME is '" + dir
                        + "', which is not an executable file.");
    }

    @Test
    void nothingFound_failsSayingWhereItLookedHowToInstallAndHowToPointAtIt() throws IOException {
        Files.delete(debian);
        environment.remove("PATH");

        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> locate(chrome()))
                .withMessage("These tests need Chrome or Chromium and found none: neither the system property "
                        + "breaker.test.chrome nor the environment variable BREAKER_TEST_CHROME is set, and none of "
                        + debian + ", chromium on the PATH, google-chrome on the PATH is an executable file.\n"
                        + "Install Chromium: apt-get install chromium\n"
                        + "or point the tests at it, on the mvn command line or in the environment:\n"
                        + "  ./test.sh -Dbreaker.test.chrome=/path/to/chrome\n"
                        + "  export BREAKER_TEST_CHROME=/path/to/chrome");
    }

    private Path executable(String relative) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
