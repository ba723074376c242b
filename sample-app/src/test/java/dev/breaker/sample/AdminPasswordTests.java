package dev.breaker.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a configured admin password, one is generated, logged once at WARN, and works. */
@ExtendWith(OutputCaptureExtension.class)
class AdminPasswordTests {

    private static final Pattern GENERATED = Pattern.compile(
            "WARN .*No admin password is configured .* Sign in as 'admin' with password: (\\S+)");

    @Test
    void withoutAConfiguredPasswordOneIsGeneratedLoggedOnceAndAccepted(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StorefrontApplication.class)
                .run("--server.port=0", "--sample.admin-password=")) {
            Matcher logged = GENERATED.matcher(output.getOut());
            assertThat(logged.find()).as("the WARN line with the generated password").isTrue();
            String password = logged.group(1);
            assertThat(logged.find()).as("a second such line").isFalse();
            assertThat(password).hasSize(24).matches("[A-Za-z2-9]+");

            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpCalls http = new HttpCalls(port);
            String reset = "/actuator/breakers/inventory/reset";
            assertThat(http.request("POST", reset).basicAuth("admin", password).send().statusCode()).isEqualTo(200);
            assertThat(http.request("POST", reset).basicAuth("admin", "").send().statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aConfiguredPasswordIsNotLogged(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StorefrontApplication.class)
                .run("--server.port=0", "--sample.admin-password=configured-secret")) {
            assertThat(context.isActive()).isTrue();
            assertThat(output.getOut()).doesNotContain("No admin password is configured")
                    .doesNotContain("configured-secret");
        }
    }

    @Test
    void generatedPasswordsAreLongAndDiffer() {
        SecureRandom random = new SecureRandom();

        String first = SecurityConfiguration.generatePassword(random);
        String second = SecurityConfiguration.generatePassword(random);

        assertThat(first).hasSize(24).doesNotContain("0", "O", "1", "l", "I");
        assertThat(first).isNotEqualTo(second);
    }
}
