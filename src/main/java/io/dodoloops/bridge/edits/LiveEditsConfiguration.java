package io.dodoloops.bridge.edits;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link FileWatcher}; the routes and the transforms each register their directory with it. */
@Configuration(proxyBeanMethods = false)
public class LiveEditsConfiguration {

    @Bean // not "fileWatcher": Spring Boot's SSL auto-configuration has a bean of that name
    FileWatcher liveEditsWatcher(LiveEditsProperties properties) {
        return new FileWatcher(properties.checkInterval());
    }
}
