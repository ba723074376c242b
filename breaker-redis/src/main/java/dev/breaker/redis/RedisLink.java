package dev.breaker.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This instance's two connections to Redis, made from the application's Lettuce client: one subscribed to the
 * namespace's channel, one for the scripts. Every command is bounded by the command timeout; one that times out is
 * completed then and there, so that Lettuce never sends it later.
 */
final class RedisLink {

    private final StatefulConnection<String, String> commands;
    private final RedisScriptingAsyncCommands<String, String> scripting;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final long timeoutMillis;

    private RedisLink(StatefulConnection<String, String> commands, RedisScriptingAsyncCommands<String, String> scripting,
                      StatefulRedisPubSubConnection<String, String> subscription, Duration timeout) {
        this.commands = commands;
        this.scripting = scripting;
        this.subscription = subscription;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    /**
     * Connects and subscribes to {@code channel}, handing each message to {@code messages} (on Lettuce's I/O thread).
     * Blocks for as long as the client takes to connect: call it off the cluster's thread.
     *
     * @throws RuntimeException when Redis cannot be reached or refuses
     */
    static RedisLink open(AbstractRedisClient client, String channel, Consumer<String> messages, Duration timeout) {
        StatefulConnection<String, String> commands;
        RedisScriptingAsyncCommands<String, String> scripting;
        StatefulRedisPubSubConnection<String, String> subscription;
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> connection = cluster.connect(StringCodec.UTF8);
            commands = connection;
            scripting = connection.async();
            subscription = connect(connection, () -> cluster.connectPubSub(StringCodec.UTF8));
        } else if (client instanceof RedisClient standalone) {
            StatefulRedisConnection<String, String> connection = standalone.connect(StringCodec.UTF8);
            commands = connection;
            scripting = connection.async();
            subscription = connect(connection, () -> standalone.connectPubSub(StringCodec.UTF8));
        } else {
            throw new IllegalArgumentException("Cluster coordination needs a Lettuce RedisClient or RedisClusterClient,"
                    + " was " + client.getClass().getName());
        }
        RedisLink link = new RedisLink(commands, scripting, subscription, timeout);
        try {
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    messages.accept(message);
                }
            });
            subscription.async().subscribe(channel).get(link.timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            link.close();
            throw new IllegalStateException("Could not subscribe to " + channel + ": " + e, e);
        }
        return link;
    }

    private static StatefulRedisPubSubConnection<String, String> connect(
            StatefulConnection<String, String> commands,
            java.util.function.Supplier<StatefulRedisPubSubConnection<String, String>> subscription) {
        try {
            return subscription.get();
        } catch (RuntimeException e) {
            commands.closeAsync();
            throw e;
        }
    }

    /**
     * Runs {@code script} (EVALSHA, then EVAL if Redis does not know it) and answers its reply, or fails with a
     * {@link java.util.concurrent.TimeoutException} after the command timeout.
     */
    CompletableFuture<List<Object>> run(Scripts.Script script, String[] keys, String... arguments) {
        return bounded(scripting.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, arguments))
                .exceptionallyCompose(error -> unwrap(error) instanceof RedisNoScriptException
                        ? bounded(scripting.eval(script.text(), ScriptOutputType.MULTI, keys, arguments))
                        : CompletableFuture.failedFuture(unwrap(error)));
    }

    private <T> CompletableFuture<T> bounded(RedisFuture<T> command) {
        // Lettuce's futures are the commands: completing one on timeout also keeps it from being sent later.
        return command.toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * Closes both connections, unless closed already (by their client); commands in flight fail.
     *
     * @return completes once both are closed
     */
    CompletableFuture<Void> close() {
        return CompletableFuture.allOf(
                subscription.isOpen() ? subscription.closeAsync() : CompletableFuture.completedFuture(null),
                commands.isOpen() ? commands.closeAsync() : CompletableFuture.completedFuture(null));
    }
}
