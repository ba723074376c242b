package dev.breaker.testing;

import org.jspecify.annotations.Nullable;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A program the tests run but the build does not provide (a browser, its driver), found on this machine and never
 * downloaded: at the path in the system property {@code property}, else at the path in the environment variable
 * {@code variable}, else at the first of {@code candidates} that is an executable file (an absolute path as it is,
 * a bare name looked up on the {@code PATH}). When none is found the test fails, never skips, with a message that
 * says where it looked, how to install the program ({@code howToInstall}) and how to point the tests at it.
 *
 * @param description  what the program is, for messages: {@code "Chrome or Chromium"}
 * @param property     system property that points at it, given on the mvn command line: {@code breaker.test.chrome}
 * @param variable     environment variable that points at it: {@code BREAKER_TEST_CHROME}
 * @param candidates   where to look when neither is set, in order
 * @param howToInstall lines that say how to install it, one per system
 */
public record ExternalProgram(String description, String property, String variable, List<String> candidates,
        String howToInstall) {

    public ExternalProgram {
        candidates = List.copyOf(candidates);
    }

    /** The program on this machine, from the system properties and environment of this JVM. */
    public Path locate() {
        return locate(System::getProperty, System::getenv);
    }

    /**
     * The program as {@code properties} and {@code environment} (which also gives the {@code PATH}) point to it.
     *
     * @throws AssertionError when the property or variable names no executable file, or when no candidate is one
     */
    public Path locate(Function<String, @Nullable String> properties, Function<String, @Nullable String> environment) {
        Optional<Path> chosen = given("system property " + property, properties.apply(property))
                .or(() -> given("environment variable " + variable, environment.apply(variable)));
        if (chosen.isPresent()) {
            return chosen.get();
        }
        List<String> path = searchPath(environment.apply("PATH"));
        return candidates.stream()
                .flatMap(candidate -> resolve(candidate, path))
                .filter(ExternalProgram::isExecutableFile)
                .findFirst()
                .orElseThrow(() -> new AssertionError(notFoundMessage()));
    }

    /** Why the tests fail when the program is nowhere to be found, and what to do about it. */
    public String notFoundMessage() {
        String looked = candidates.stream()
                .map(candidate -> isBareName(candidate) ? candidate + " on the PATH" : candidate)
                .collect(Collectors.joining(", "));
        String placeholder = "/path/to/" + property.substring(property.lastIndexOf('.') + 1);
        return "These tests need " + description + " and found none: neither the system property " + property
                + " nor the environment variable " + variable + " is set, and none of " + looked
                + " is an executable file.\n"
                + howToInstall + "\n"
                + "or point the tests at it, on the mvn command line or in the environment:\n"
                + "  ./test.sh -D" + property + "=" + placeholder + "\n"
                + "  export " + variable + "=" + placeholder;
    }

    private Optional<Path> given(String source, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path given;
        try {
            given = Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw new AssertionError(source + " is '" + value + "', which is not a path: " + e.getMessage()
                    + ". Point it at " + description + ", or unset it to use the first of " + candidates + ".");
        }
        if (!isExecutableFile(given)) {
            throw new AssertionError(source + " is '" + value + "', which is not an executable file. Point it at "
                    + description + ", or unset it to use the first of " + candidates + ".");
        }
        return Optional.of(given);
    }

    private static List<String> searchPath(@Nullable String path) {
        return path == null ? List.of() : List.of(path.split(File.pathSeparator));
    }

    private static Stream<Path> resolve(String candidate, List<String> path) {
        if (!isBareName(candidate)) {
            return Stream.of(Path.of(candidate));
        }
        return path.stream().filter(directory -> !directory.isEmpty()).map(directory -> Path.of(directory, candidate));
    }

    private static boolean isBareName(String candidate) {
        return !candidate.contains("/") && !candidate.contains(File.separator);
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
