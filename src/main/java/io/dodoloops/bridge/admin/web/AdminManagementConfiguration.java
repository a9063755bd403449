package io.dodoloops.bridge.admin.web;

import java.util.Set;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

import io.dodoloops.bridge.admin.ManagementAccess;

/**
 * Puts {@link AdminController} and the {@link ManagementAccessFilter} into the management context, so they answer on
 * the management port (loopback by default) and never on the public webhook port. Listed in
 * META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports and kept
 * out of component scanning (see BridgeApplication).
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@Import(AdminController.class)
public class AdminManagementConfiguration {

    /** First of all filters on the management port; liveness and readiness are the probes exempt from credentials. */
    @Bean
    FilterRegistrationBean<ManagementAccessFilter> managementAccessFilter(ManagementAccess access,
            WebEndpointProperties endpoints) {
        String actuator = endpoints.getBasePath();
        var registration = new FilterRegistrationBean<>(new ManagementAccessFilter(access,
                Set.of(actuator + "/health/liveness", actuator + "/health/readiness")));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
