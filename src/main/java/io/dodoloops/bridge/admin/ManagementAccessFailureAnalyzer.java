package io.dodoloops.bridge.admin;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused for want of management credentials is reported as Spring Boot's short "APPLICATION FAILED TO
 * START" block (what is wrong, what to set) instead of a bean-creation stack trace. Listed in META-INF/spring.factories.
 */
public class ManagementAccessFailureAnalyzer extends AbstractFailureAnalyzer<ManagementAccess.RefusedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ManagementAccess.RefusedException cause) {
        return new FailureAnalysis(cause.problem(), cause.action(), cause);
    }
}
