package io.dodoloops.bridge.ingress;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

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

/**
 * Answers 413 for a webhook body over the limit before anything buffers it: Camel reads the whole body into memory,
 * and neither Tomcat nor Spring limits the size of a non-form body. Bodies within the limit are passed on as read.
 */
public class BodySizeLimitFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(BodySizeLimitFilter.class);
    private final long maxBytes;
    private final BridgeCounters counters;

    public BodySizeLimitFilter(long maxBytes, BridgeCounters counters) {
        this.maxBytes = maxBytes;
        this.counters = counters;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            tooLarge(response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            tooLarge(response);
            return;
        }
        chain.doFilter(new ReadBodyRequest(request, body), response);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        LOG.warn("Rejected webhook request with 413: body over {} bytes", maxBytes);
        counters.received();
        counters.rejected(BridgeCounters.Rejection.TOO_LARGE);
        response.setStatus(413);
        response.setContentType("application/json");
        // The rest of the body is not read: close the connection rather than let Tomcat drain it.
        response.setHeader("Connection", "close");
        response.getWriter().write("{\"error\":\"body larger than " + maxBytes + " bytes\"}");
    }

    /**
     * The request with its body already in memory. A form content type is hidden: Camel would parse the body into
     * form fields, and a webhook body is verified and read as the bytes it is, whatever its sender declared.
     */
    private static final class ReadBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
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
            return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                    ? "application/octet-stream" : type;
        }

        @Override
        public String getHeader(String name) {
            return "Content-Type".equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
