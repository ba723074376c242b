package dev.breaker.spring.autoconfigure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** An application that reads one configuration file of src/test/resources/config-errors, for startup errors. */
@Configuration(proxyBeanMethods = false)
@Import({AopAutoConfiguration.class, BreakerAutoConfiguration.class})
class ConfigErrorApplication {

    /** Starts the application with {@code config-errors/<file>} as its only configuration file. */
    static void run(String file) {
        SpringApplication application = new SpringApplication(ConfigErrorApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run("--spring.config.location=classpath:/config-errors/" + file).close();
    }
}
