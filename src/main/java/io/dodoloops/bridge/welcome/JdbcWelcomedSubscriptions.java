package io.dodoloops.bridge.welcome;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.TransactionException;

/**
 * WELCOME_REPOSITORY=jdbc: camel-sql's JdbcMessageIdRepository (table CAMEL_MESSAGEPROCESSED, one row per welcomed
 * subscription under processorName {@value #PROCESSOR_NAME}) on PostgreSQL, shared by every bridge. Three changes:
 * the table is created with a lock so that bridges starting together do not fail on each other's CREATE TABLE; a
 * subscription another bridge remembered at the same instant counts as already remembered; and a database failure
 * is a {@link WelcomeDatabaseUnavailableException}, so the delivery retries it.
 */
public class JdbcWelcomedSubscriptions extends JdbcMessageIdRepository {

    static final String PROCESSOR_NAME = "welcomed-subscriptions";
    /** pg_advisory_xact_lock key for the table creation (any constant; "welcome" in ASCII). */
    static final long CREATE_LOCK = 0x77656c636f6d65L;
    /**
     * Camel's own CREATE TABLE, made safe to run by several bridges at once: IF NOT EXISTS alone still lets two
     * concurrent creators collide in PostgreSQL's catalog (duplicate key in pg_type), the transaction lock serializes them.
     */
    static final String CREATE = "SELECT pg_advisory_xact_lock(" + CREATE_LOCK + "); "
            + DEFAULT_CREATE_STRING.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ");

    /** The database as the message of a failure names it: URL without its parameters (which may hold a password), user. */
    private final String database;

    public JdbcWelcomedSubscriptions(DataSource dataSource, String database) {
        super(dataSource, PROCESSOR_NAME);
        this.database = database;
        setCreateString(CREATE);
    }

    @Override
    protected void doStart() throws Exception {
        try {
            super.doStart();
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("bridge.welcome.repository (WELCOME_REPOSITORY) is 'jdbc', but the database "
                    + database + " cannot be used: " + reason(e) + " (check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME "
                    + "and SPRING_DATASOURCE_PASSWORD)", e);
        }
    }

    @Override
    public boolean add(String subscriptionId) {
        try {
            return super.add(subscriptionId);
        } catch (DuplicateKeyException rememberedByAnotherBridge) {
            return false;
        } catch (DataAccessException | TransactionException e) {
            throw unavailable("remember", subscriptionId, e);
        }
    }

    @Override
    public boolean contains(String subscriptionId) {
        try {
            return super.contains(subscriptionId);
        } catch (DataAccessException | TransactionException e) {
            throw unavailable("look up", subscriptionId, e);
        }
    }

    private WelcomeDatabaseUnavailableException unavailable(String what, String subscriptionId, RuntimeException e) {
        return new WelcomeDatabaseUnavailableException("could not " + what + " welcomed subscription " + subscriptionId
                + " in the database " + database + ": " + reason(e), e);
    }

    /** PostgreSQL's own words (e.g. "Connection to host:5432 refused", "password authentication failed for user"). */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return t.getMessage();
            }
        }
        return String.valueOf(failure.getMessage());
    }
}
