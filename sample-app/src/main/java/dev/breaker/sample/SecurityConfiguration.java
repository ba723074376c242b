package dev.breaker.sample;

import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.security.SecureRandom;

/**
 * Reads are open, writes are for the admin: every GET and HEAD (the storefront, the dashboard page, Actuator's
 * health, breakers, breakerevents, breakerhistory and prometheus) needs no credentials; every other method (the
 * breaker actions {@code POST /actuator/breakers/{name}/{action}}, {@code PUT /chaos/{dependency}},
 * {@code DELETE /chaos}) needs the {@code admin} user, over HTTP Basic; but anyone may check out
 * ({@code POST /products/{id}/checkout}).
 *
 * <p>An unauthenticated write answers 401 with {@code WWW-Authenticate: Basic}, except a request sent with
 * {@code X-Requested-With: XMLHttpRequest} (as the dashboard page sends it), which gets a bare 401 so that the
 * browser shows no password prompt and the page can show its own sign-in form.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** The one user's name. */
    public static final String ADMIN = "admin";

    private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

    private static final String PASSWORD_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_PASSWORD_LENGTH = 24;

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        // Error pages render the outcome of a request that was already authorized (or refused).
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/**").permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/**").permitAll()
                        // Anyone may check out; the simulated payments service stands for one elsewhere.
                        .requestMatchers(HttpMethod.POST, "/products/*/checkout", "/downstream/payments/*").permitAll()
                        .anyRequest().hasRole("ADMIN"))
                .httpBasic(Customizer.withDefaults())
                // Credentials travel in the Authorization header of each request: no session, no cookie.
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // CSRF abuses credentials that the browser attaches by itself, which these API paths never take:
                // there is no session cookie, and the browser never learns the Basic credentials, because the
                // dashboard's requests (X-Requested-With) get no WWW-Authenticate challenge. A cross-site page
                // cannot set an Authorization header, a JSON content type or the PUT method without a CORS
                // preflight, which this application refuses; what a plain form can post, the endpoints answer
                // with 415. CSRF protection stays on for any other write path a later change may add.
                .csrf(csrf -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint())
                        .ignoringRequestMatchers("/chaos", "/chaos/**")
                        // A checkout needs no credentials, so there are none for a cross-site page to ride on.
                        .ignoringRequestMatchers("/products/*/checkout", "/downstream/payments/*"));
        return http.build();
    }

    @Bean
    UserDetailsService adminUser(SampleProperties properties) {
        String password = properties.getAdminPassword();
        if (password == null || password.isBlank()) {
            password = generatePassword(new SecureRandom());
            logger.warn("No admin password is configured (BREAKER_ADMIN_PASSWORD or sample.admin-password), so one"
                    + " was generated for this run. Sign in as '{}' with password: {}", ADMIN, password);
        }
        return new InMemoryUserDetailsManager(User.withUsername(ADMIN)
                .password(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password))
                .roles("ADMIN")
                .build());
    }

    /** A password of {@value #GENERATED_PASSWORD_LENGTH} letters and digits, without look-alikes (0/O, 1/l/I). */
    static String generatePassword(SecureRandom random) {
        StringBuilder password = new StringBuilder(GENERATED_PASSWORD_LENGTH);
        for (int i = 0; i < GENERATED_PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
