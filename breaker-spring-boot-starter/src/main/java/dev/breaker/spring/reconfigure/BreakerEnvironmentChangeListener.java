package dev.breaker.spring.reconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Refreshes the breakers after Spring Cloud changed the environment ({@code /actuator/refresh}, a config server
 * change, a bus event). Invalid properties change no breaker: they are logged as an error, naming each key.
 */
public final class BreakerEnvironmentChangeListener implements ApplicationListener<EnvironmentChangeEvent> {

    /** The source of the reconfigurations, as their events show it. */
    public static final String SOURCE = "environment";

    private static final Log LOGGER = LogFactory.getLog(BreakerEnvironmentChangeListener.class);

    private final BreakerRefresher refresher;

    public BreakerEnvironmentChangeListener(BreakerRefresher refresher) {
        this.refresher = refresher;
    }

    @Override
    public void onApplicationEvent(EnvironmentChangeEvent event) {
        try {
            refresher.refresh(SOURCE);
        } catch (InvalidBreakerOptionsException e) {
            LOGGER.error(e.getMessage() + ". Breakers keep their configuration until the properties are fixed.");
        }
    }
}
