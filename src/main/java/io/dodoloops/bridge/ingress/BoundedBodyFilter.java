package io.dodoloops.bridge.ingress;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import io.dodoloops.bridge.metrics.BridgeCounters;
import io.dodoloops.bridge.metrics.BridgeCounters.Rejection;

/**
 * Reads every request body on the public port into memory within three bounds, before any route or Spring sees it,
 * whatever the path's spelling: at most {@code maxBytes} per body (413, with or without a Content-Length), at most
 * {@code bufferBudget} bytes for all bodies being read or processed at once (503, so Dodo retries later), and the whole
 * body within {@code readDeadline} (408). Camel would otherwise read a body of any size into memory, and neither
 * Tomcat nor Spring limits a non-form body.
 */
public class BoundedBodyFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedBodyFilter.class);
    private static final int CHUNK = 16 * 1024;

    private final long maxBytes;
    private final Semaphore budget;
    private final long budgetBytes;
    private final long readDeadlineNanos;
    private final BridgeCounters counters;

    /** @param bufferBudget at least {@code maxBytes}, as WebhookProperties checks where the two are set */
    public BoundedBodyFilter(long maxBytes, long bufferBudget, Duration readDeadline, BridgeCounters counters) {
        this.maxBytes = maxBytes;
        this.budgetBytes = Math.min(bufferBudget, Integer.MAX_VALUE);
        this.budget = new Semaphore((int) budgetBytes);
        this.readDeadlineNanos = readDeadline.toNanos();
        this.counters = counters;
    }

    /** Bytes of the budget in use now (bodies being read or processed). */
    public long bufferedBytes() {
        return budgetBytes - budget.availablePermits();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(response, Rejection.TOO_LARGE);
            return;
        }
        Body body = new Body();
        try {
            Rejection refused = body.read(request.getInputStream(), declared);
            if (refused != null) {
                refuse(response, refused);
                return;
            }
            chain.doFilter(new ReadBodyRequest(request, body), response);
        } finally {
            budget.release(body.reserved);
        }
    }

    /** One body being read: the bytes so far, and the part of the budget they hold until the request is answered. */
    private final class Body extends ByteArrayOutputStream {
        private int reserved;

        Body() {
            super(0);
        }

        /** Reads the whole body; null when done, else why it was not. */
        Rejection read(InputStream in, long declared) throws IOException {
            long deadline = System.nanoTime() + readDeadlineNanos;
            // A declared length is reserved at once, so a body the budget cannot hold is refused before it is read.
            if (declared > 0 && !reserve(declared)) {
                return Rejection.BUSY;
            }
            buf = new byte[declared > 0 ? (int) declared : 512];
            // A typical webhook declares about 2 KB: no 16 KB read buffer for it (Tomcat never reads past the length).
            byte[] chunk = new byte[(int) Math.min(CHUNK, (declared > 0 ? declared : maxBytes) + 1)];
            for (int n; ; ) {
                try {
                    n = in.read(chunk);
                } catch (IOException e) {
                    // Tomcat's idle timeout between two reads (server.tomcat.connection-timeout), or the client left.
                    if (isTimeout(e) || System.nanoTime() - deadline > 0) {
                        return Rejection.TOO_SLOW;
                    }
                    throw e;
                }
                if (n < 0) {
                    return null;
                }
                if (count + (long) n > maxBytes) {
                    return Rejection.TOO_LARGE;
                }
                if (count + n > reserved && !reserve(count + n - reserved)) {
                    return Rejection.BUSY;
                }
                write(chunk, 0, n);
                if (System.nanoTime() - deadline > 0) {
                    return Rejection.TOO_SLOW;
                }
            }
        }

        private boolean reserve(long more) {
            if (more > Integer.MAX_VALUE - reserved || !budget.tryAcquire((int) more)) {
                return false;
            }
            reserved += (int) more;
            return true;
        }

        /** The bytes read, without the copy toByteArray would make. */
        InputStream open() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }

    private static boolean isTimeout(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void refuse(HttpServletResponse response, Rejection kind) throws IOException {
        int status = switch (kind) {
            case TOO_LARGE -> 413;
            case BUSY -> 503;
            default -> 408;
        };
        String reason = switch (kind) {
            case TOO_LARGE -> "body larger than " + maxBytes + " bytes";
            case BUSY -> "too many request bodies in flight; retry later";
            default -> "body not received within " + Duration.ofNanos(readDeadlineNanos).toMillis() + " ms";
        };
        LOG.warn("Rejected webhook request with {}: {}", status, reason);
        counters.received();
        counters.rejected(kind);
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status);
        response.setContentType("application/json");
        if (kind == Rejection.BUSY) {
            response.setHeader("Retry-After", "1");
        }
        // The rest of the body is not read: close the connection rather than let Tomcat drain it.
        response.setHeader("Connection", "close");
        response.getWriter().write("{\"error\":\"" + reason + "\"}");
    }

    /**
     * The request with its body already in memory. A form content type is hidden: Spring and Camel would parse the body
     * into form fields, and a webhook body is verified and read as the bytes it is, whatever its sender declared.
     */
    private static final class ReadBodyRequest extends HttpServletRequestWrapper {
        private final Body body;

        ReadBodyRequest(HttpServletRequest request, Body body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = body.open();
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already in memory");
                }
            };
        }

        @Override
        public String getContentType() {
            String type = super.getContentType();
            return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                    ? "application/octet-stream" : type;
        }

        @Override
        public String getHeader(String name) {
            return "Content-Type".equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
        }

        @Override
        public java.util.Enumeration<String> getHeaders(String name) {
            return "Content-Type".equalsIgnoreCase(name)
                    ? java.util.Collections.enumeration(getContentType() == null ? java.util.List.of() : java.util.List.of(getContentType()))
                    : super.getHeaders(name);
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(body.open(), charset));
        }

        @Override
        public int getContentLength() {
            return body.size();
        }

        @Override
        public long getContentLengthLong() {
            return body.size();
        }
    }
}
