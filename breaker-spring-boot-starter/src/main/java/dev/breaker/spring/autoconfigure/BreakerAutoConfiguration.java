package dev.breaker.spring.autoconfigure;

import dev.breaker.BreakerRegistry;
import dev.breaker.spring.aop.AnnotatedBreakers;
import dev.breaker.spring.aop.BlockingCallAdapter;
import dev.breaker.spring.aop.BreakerAdvisor;
import dev.breaker.spring.aop.BreakerMethodInterceptor;
import dev.breaker.spring.aop.CallAdapter;
import dev.breaker.spring.aop.CallTimer;
import dev.breaker.spring.aop.CompletionStageCallAdapter;
import dev.breaker.spring.aop.ProtectedMethods;
import dev.breaker.spring.aop.ProtectedMethodsValidator;
import dev.breaker.spring.aop.ReactorCallAdapter;
import dev.breaker.spring.alerts.ProlongedOpenMonitor;
import dev.breaker.spring.events.BreakerEventBridge;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Configures breakers from {@code breaker.*} properties and protects {@code @CircuitBreaker} methods.
 */
@AutoConfiguration(after = AopAutoConfiguration.class)
@EnableConfigurationProperties(BreakerProperties.class)
public final class BreakerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BreakerConfigFactory breakerConfigFactory(BreakerProperties properties,
                                              ObjectProvider<BreakerConfigCustomizer> customizers,
                                              ListableBeanFactory beans) {
        // The annotations are read from the bean definitions before any breaker exists, so that each breaker is
        // created with every dependency its annotations declare, and unknown names and cycles stop the start.
        BreakerConfigFactory factory = new BreakerConfigFactory(properties, customizers.orderedStream().toList(),
                ClassUtils.getDefaultClassLoader(), AnnotatedBreakers.scan(beans));
        factory.validate();
        return factory;
    }

    @Bean
    @ConditionalOnMissingBean
    BreakerRegistry breakerRegistry(BreakerProperties properties, BreakerConfigFactory factory) {
        // The registry owns every breaker's configuration: whoever asks for a breaker first (an annotated method,
        // an application bean, an endpoint), it gets the properties and customizers of its name.
        // Dependencies may name the breakers the application declares, created on demand (dependencies first).
        BreakerRegistry registry = BreakerRegistry.builder().defaults(factory.defaults())
                .configs(factory::configFor).declared(factory::declares).build();
        properties.getInstances().keySet().forEach(registry::breaker);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    BreakerEventBridge breakerEventBridge(BreakerRegistry registry, ApplicationEventPublisher publisher) {
        return new BreakerEventBridge(registry, publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    ProlongedOpenMonitor breakerProlongedOpenMonitor(BreakerRegistry registry, BreakerProperties properties) {
        Duration prolongedOpen = properties.getAlerts().getProlongedOpen();
        boolean enabled = prolongedOpen != null && !prolongedOpen.isZero();
        return new ProlongedOpenMonitor(registry, properties.getAlerts().getCheckInterval(), enabled);
    }

    @Bean
    @ConditionalOnMissingBean
    CompletionStageCallAdapter breakerCompletionStageCallAdapter() {
        return new CompletionStageCallAdapter();
    }

    @Bean
    @ConditionalOnMissingBean
    BlockingCallAdapter breakerBlockingCallAdapter() {
        return new BlockingCallAdapter();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.core.publisher.Mono")
    static class ReactorConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ReactorCallAdapter breakerReactorCallAdapter() {
            return new ReactorCallAdapter();
        }
    }

    /** The advice, applied only while {@code breaker.enabled} is true (the default). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "breaker.enabled", matchIfMissing = true)
    @Import(AutoProxyRegistrar.class)
    static class AdviceConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ProtectedMethods breakerProtectedMethods(BreakerRegistry registry, ObjectProvider<CallAdapter> adapters,
                                                 ObjectProvider<CallTimer.Factory> timers) {
            // The catch-all blocking adapter is asked last, whatever the order of the others.
            List<CallAdapter> ordered = adapters.orderedStream()
                    .sorted(Comparator.comparing(adapter -> adapter instanceof BlockingCallAdapter)).toList();
            return new ProtectedMethods(registry::breaker, ordered, timers.getIfAvailable());
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static BreakerAdvisor breakerAdvisor(ObjectProvider<ProtectedMethods> methods, Environment environment) {
            // Bound directly: the advisor is created while post-processors are set up, too early for the
            // BreakerProperties bean to be created without missing some of them.
            int order = Binder.get(environment).bind("breaker.aspect-order", Integer.class)
                    .orElse(BreakerProperties.DEFAULT_ASPECT_ORDER);
            return new BreakerAdvisor(new BreakerMethodInterceptor(methods::getObject), order);
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static ProtectedMethodsValidator breakerProtectedMethodsValidator(ObjectProvider<ProtectedMethods> methods) {
            return new ProtectedMethodsValidator(methods);
        }
    }

    /** Makes sure an auto-proxy creator applies the advisor, even without spring.aop.auto. */
    static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
