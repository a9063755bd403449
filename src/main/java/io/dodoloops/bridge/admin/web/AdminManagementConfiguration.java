package io.dodoloops.bridge.admin.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Puts {@link AdminController} into the management context, so it answers on the management port (loopback by
 * default) and never on the public webhook port. Listed in
 * META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports and kept
 * out of component scanning (see BridgeApplication).
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@Import(AdminController.class)
public class AdminManagementConfiguration {
}
