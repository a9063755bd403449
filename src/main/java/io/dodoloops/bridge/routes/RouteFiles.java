package io.dodoloops.bridge.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.dodoloops.bridge.edits.EditHandler;
import io.dodoloops.bridge.edits.FileWatcher;
import io.dodoloops.bridge.edits.WatchedDirectory;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Keeps the running routes in step with the YAML files in {@code bridge.routes.directory}, as the
 * {@link FileWatcher} hands their edits over: an edit is parsed first, applied, and rolled back to the last version
 * that worked if Camel cannot build or start it, so a broken edit never stops delivery.
 */
@Component
public class RouteFiles implements CamelContextConfiguration, EditHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private final WatchedDirectory files;
    private final FileWatcher watcher;
    private final Map<Path, String> lastGood = new ConcurrentHashMap<>();
    private CamelContext camel;

    public RouteFiles(RoutesProperties routes, FileWatcher watcher) {
        this.files = new WatchedDirectory("routes", routes.directory(), "*.yaml", this);
        this.watcher = watcher;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
    }

    /** The files as Camel loaded them at start-up are the first good versions; edits are watched from then on. */
    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        for (Path file : files.list()) {
            try {
                lastGood.put(file, Files.readString(file));
            } catch (IOException e) {
                LOG.warn("Cannot read {}: {}", file, e.toString());
            }
        }
        watcher.watch(files);
    }

    /** The routes directory: its problems are the route files whose last edit was refused, with the reason. */
    public WatchedDirectory files() {
        return files;
    }

    @Override
    public String apply(Path file, String text) {
        if (text.equals(lastGood.get(file))) {
            return null;
        }
        String name = name(file);
        RoutesLoader loader = PluginHelper.getRoutesLoader(camel);
        try {
            Set<String> routeIds = routeIds(file, text); // parses: a syntax error stops here, nothing touched
            Set<String> edited = editedRouteConfigurations(lastGood.get(file), text);
            if (!edited.isEmpty()) {
                // Camel gives a route its configurations when the route is built, and rebuilding the routes would stop
                // the webhook endpoint and the queue consumers mid-flight: such an edit waits for a restart.
                return "route configurations " + edited + " changed; they apply when the bridge restarts (the running"
                        + " routes keep the previous ones)";
            }
            loader.updateRoutes(List.of(resource(file, text)));
            lastGood.put(file, text);
            LOG.info("{} applied: routes {}", name, routeIds);
            return null;
        } catch (Exception e) {
            LOG.debug("{}: edit refused", name, e);
            restore(loader, file);
            return reason(e) + (lastGood.containsKey(file) ? "; still running the previous version" : "; not loaded");
        }
    }

    /** Camel cannot tell which routes came from a file once it is gone, and delivery must not stop for a removal. */
    @Override
    public String deleted(Path file) {
        if (lastGood.containsKey(file)) {
            LOG.warn("{} was deleted: its routes keep running until the bridge restarts", name(file));
        }
        return null;
    }

    /** Puts back the last good version of a file whose edit Camel could not build or start. */
    private void restore(RoutesLoader loader, Path file) {
        String good = lastGood.get(file);
        try {
            if (good != null) {
                Set<String> ids = routeIds(file, good);
                boolean intact = ids.stream().allMatch(id -> camel.getRoute(id) != null
                        && camel.getRouteController().getRouteStatus(id).isStarted());
                if (!intact) {
                    loader.updateRoutes(List.of(resource(file, good)));
                    LOG.info("{}: previous version restored", name(file));
                }
            }
        } catch (Exception e) {
            LOG.error("{}: the previous version could not be restored: {}", name(file), reason(e));
        }
    }

    /** Ids of the route configurations that differ between two versions of a file (added, removed or changed). */
    static Set<String> editedRouteConfigurations(String before, String after) {
        Map<String, Object> old = routeConfigurations(before);
        Map<String, Object> now = routeConfigurations(after);
        Set<String> edited = new TreeSet<>();
        old.forEach((id, definition) -> {
            if (!definition.equals(now.get(id))) {
                edited.add(id);
            }
        });
        now.keySet().stream().filter(id -> !old.containsKey(id)).forEach(edited::add);
        return edited;
    }

    /** The top-level {@code - routeConfiguration:} entries of a YAML routes file, by id ("" for one without). */
    private static Map<String, Object> routeConfigurations(String text) {
        Map<String, Object> found = new TreeMap<>();
        for (Map<?, ?> item : topLevel(text)) {
            if (item.get("routeConfiguration") instanceof Map<?, ?> configuration) {
                Object id = configuration.get("id");
                found.put(id == null ? "" : id.toString(), configuration);
            }
        }
        return found;
    }

    private static List<Map<?, ?>> topLevel(String text) {
        if (text == null) {
            return List.of();
        }
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        List<Map<?, ?>> items = new ArrayList<>();
        if (document instanceof List<?> list) {
            list.stream().filter(Map.class::isInstance).map(item -> (Map<?, ?>) item).forEach(items::add);
        }
        return items;
    }

    /** The route ids a file defines, parsed in a scratch context: parsing in the running one registers node ids. */
    private static Set<String> routeIds(Path file, String text) throws Exception {
        Set<String> ids = new TreeSet<>();
        try (DefaultCamelContext scratch = new DefaultCamelContext()) {
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(scratch).findRoutesBuilders(List.of(resource(file, text)))) {
                if (builder instanceof RouteBuilder routes) {
                    routes.configureRoutes(scratch).getRoutes().stream().map(RouteDefinition::getRouteId)
                            .filter(Objects::nonNull).forEach(ids::add);
                }
            }
        }
        return ids;
    }

    private static Resource resource(Path file, String text) {
        return ResourceHelper.fromString("file:" + file, text);
    }

    /** The innermost messages, where YAML errors name the file, line and column. */
    static String reason(Throwable failure) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        String top = failure.getMessage() == null ? "" : failure.getMessage();
        String detail = root == failure || root.getMessage() == null ? "" : root.getMessage();
        String text = (detail.isEmpty() || top.contains(detail) ? top : top + ": " + detail).replaceAll("\\s+", " ").strip();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private String name(Path file) {
        return files.key(file.getFileName().toString());
    }
}
