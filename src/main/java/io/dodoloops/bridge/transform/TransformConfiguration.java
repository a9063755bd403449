package io.dodoloops.bridge.transform;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers {@link TransformProperties}; the transform beans themselves are plain components. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TransformProperties.class)
public class TransformConfiguration {
}
