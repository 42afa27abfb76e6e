package depesche.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One real OpenSearch node in this JVM, built from the Maven Central jars of the server and three of the
 * distribution's modules: transport-netty4 (HTTP and the node-to-node transport), analysis-common (the German
 * analysis chain: german_normalization, light_german, stop, dictionary_decompounder, synonym_graph) and
 * lang-painless. It is the same {@link Node} the distribution runs; what is missing is only the distribution's
 * bootstrap (security manager, bootstrap checks, JVM options), which a loopback development or CI node does not need.
 *
 * <p>Usage: {@code java -Xmx384m -cp 'launcher.jar:lib/*' depesche.opensearch.Launcher key=value ...}, where every
 * key=value is an OpenSearch setting (node.name=node-1, http.port=9200, transport.port=9300, path.home=DIR,
 * discovery.seed_hosts=127.0.0.1:9300,127.0.0.1:9301, cluster.initial_cluster_manager_nodes=node-1 ...).
 * The node stops cleanly on SIGTERM.
 */
public final class Launcher {

    /** Node-level defaults for a small loopback node; any of them can be overridden on the command line. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
        Map.entry("cluster.name", "depesche"),
        Map.entry("node.name", "node-1"),
        Map.entry("network.host", "127.0.0.1"),
        Map.entry("http.port", "9200"),
        Map.entry("transport.port", "9300"),
        Map.entry("http.type", "netty4"),
        Map.entry("transport.type", "netty4"),
        Map.entry("node.processors", "1"),
        Map.entry("bootstrap.memory_lock", "false"),
        // a shared CI disk may be nearly full; that must not stop replicas from being allocated
        Map.entry("cluster.routing.allocation.disk.threshold_enabled", "false"),
        // with a small heap the real-memory breaker trips on GC noise rather than on real overload
        Map.entry("indices.breaker.total.use_real_memory", "false")
    );

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("expected key=value, got: " + arg);
                System.exit(2);
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String home = values.get("path.home");
        if (home == null) {
            home = Files.createTempDirectory("depesche-opensearch-").toString();
            values.put("path.home", home);
        }
        Path homePath = Path.of(home).toAbsolutePath();
        for (String dir : List.of("config", "plugins", "modules", "data", "logs")) {
            Files.createDirectories(homePath.resolve(dir));
        }
        values.putIfAbsent("path.data", homePath.resolve("data").toString());
        values.putIfAbsent("path.logs", homePath.resolve("logs").toString());

        Settings.Builder builder = Settings.builder();
        values.forEach((key, value) -> {
            if (key.endsWith(".seed_hosts") || key.endsWith("initial_cluster_manager_nodes") || key.equals("node.roles")) {
                builder.putList(key, value.isEmpty() ? List.of() : List.of(value.split(",")));
            } else {
                builder.put(key, value);
            }
        });
        Settings settings = builder.build();

        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        LogConfigurator.setNodeName(values.get("node.name"));

        long started = System.nanoTime();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), homePath.resolve("config"), () -> values.get("node.name"));
        LocalNode node = new LocalNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "depesche-node-shutdown"));
        node.start();
        System.out.printf("depesche: node %s started in %.1f s (http %s, transport %s, home %s)%n",
            values.get("node.name"), (System.nanoTime() - started) / 1e9,
            values.get("http.port"), values.get("transport.port"), homePath);
        System.out.flush();
        stopped.await();
    }

    /** The server's Node with the three modules loaded from the classpath instead of from a modules/ folder. */
    static final class LocalNode extends Node {
        static final List<Class<? extends Plugin>> PLUGINS =
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class);

        LocalNode(Environment environment) {
            super(environment, PLUGINS, true);
        }
    }
}
