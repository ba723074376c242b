package dev.breaker.spring.aot;

import dev.breaker.spring.actuate.BreakerConfigOperation;
import dev.breaker.spring.actuate.BreakerDescriptor;
import dev.breaker.spring.actuate.EventDescriptor;
import dev.breaker.spring.annotation.CircuitBreaker;
import dev.breaker.spring.autoconfigure.BreakerAutoConfiguration;
import dev.breaker.spring.autoconfigure.BreakerProperties;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints of a real context processed ahead of time, as the Spring Boot build plugin does before a native image is
 * built: the starter's {@code aot.factories} entries are found and applied.
 */
class BreakerRuntimeHintsTests {

    private static RuntimeHints processAheadOfTime(Class<?> configuration) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.register(configuration);
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(configuration)), new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        return generation.getRuntimeHints();
    }

    @Test
    void breakerProperties_canBeBound() {
        RuntimeHints hints = processAheadOfTime(App.class);

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BreakerProperties.Options.class,
                "setFailureRateThreshold")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BreakerProperties.HttpClient.class,
                "setMaxBreakers")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BreakerProperties.Recovery.class,
                "setRamp")).accepts(hints);
    }

    @Test
    void endpointDescriptors_canBeWrittenAsJson() {
        RuntimeHints hints = processAheadOfTime(App.class);

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BreakerDescriptor.class, "state"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BreakerDescriptor.ConfigDescriptor.class,
                "failureRateThreshold")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EventDescriptor.class, "source"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                BreakerConfigOperation.InvalidOptionsDescriptor.class, "problems")).accepts(hints);
    }

    @Test
    void theDashboardsResources_areIncluded() {
        RuntimeHints hints = processAheadOfTime(App.class);

        for (String resource : BreakerRuntimeHints.RESOURCES) {
            assertThat(RuntimeHintsPredicates.resource().forResource(resource)).accepts(hints);
        }
    }

    @Test
    void fallbackMethods_canBeInvoked_andTheBeansMethodsFound() throws Exception {
        RuntimeHints hints = processAheadOfTime(App.class);

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                Inventory.class.getDeclaredMethod("cached", String.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                Inventory.class.getDeclaredMethod("cached", String.class, Throwable.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                BaseClient.class.getDeclaredMethod("inherited", String.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Inventory.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(BaseClient.class)).accepts(hints);
    }

    @Test
    void theProcessor_registersTheFallbacksOnly_andNothingForBeansWithoutCircuitBreakers() throws Exception {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerBeanDefinition("inventory", new RootBeanDefinition(Inventory.class));
        beans.registerBeanDefinition("plain", new RootBeanDefinition(Plain.class));
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(Inventory.class)), new InMemoryGeneratedFiles());
        FallbackMethodsAotProcessor processor = new FallbackMethodsAotProcessor();

        BeanRegistrationAotContribution contribution = processor.processAheadOfTime(
                RegisteredBean.of(beans, "inventory"));
        assertThat(contribution).isNotNull();
        contribution.applyTo(generation, null);

        RuntimeHints hints = generation.getRuntimeHints();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                Inventory.class.getDeclaredMethod("cached", String.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                Inventory.class.getDeclaredMethod("unrelated"))).rejects(hints);
        assertThat(processor.processAheadOfTime(RegisteredBean.of(beans, "plain"))).isNull();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({AopAutoConfiguration.class, BreakerAutoConfiguration.class})
    static class App {

        @Bean
        Inventory inventory() {
            return new Inventory();
        }

        @Bean
        Plain plain() {
            return new Plain();
        }
    }

    static class BaseClient {

        String inherited(String sku) {
            return "inherited";
        }
    }

    static class Inventory extends BaseClient {

        @CircuitBreaker(name = "inventory", fallbackMethod = "cached")
        public String stock(String sku) {
            return "live";
        }

        @CircuitBreaker(name = "inventory-async", fallbackMethod = "inherited")
        public CompletableFuture<String> stockAsync(String sku) {
            return CompletableFuture.completedFuture("live");
        }

        String cached(String sku) {
            return "cached";
        }

        String cached(String sku, Throwable error) {
            return "cached";
        }

        String unrelated() {
            return "unrelated";
        }
    }

    static class Plain {

        public String call() {
            return "plain";
        }
    }
}
