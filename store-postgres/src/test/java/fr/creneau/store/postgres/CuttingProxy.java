package fr.creneau.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between the driver and PostgreSQL that can lose the answer to a COMMIT:
 * armed, it forwards the next client message carrying {@code COMMIT} to the server, waits for the
 * server's answer (so the commit did happen), drops it and cuts both connections. The client then
 * sees its connection fail in the middle of a commit whose outcome it cannot know: the exact fault
 * the store must resolve by reading back, never by guessing.
 */
final class CuttingProxy implements AutoCloseable {
    private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int target;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicBoolean dropArmed = new AtomicBoolean();
    private volatile boolean paused;
    private final AtomicInteger cuts = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    CuttingProxy(final int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "cutting-proxy");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next COMMIT's answer is lost. */
    void armCutAfterCommit() {
        armed.set(true);
    }

    /**
     * The next COMMIT never reaches the server: both connections are cut instead of forwarding
     * it, so the server's backend sees its client go with the transaction open and aborts it.
     */
    void armCutBeforeCommit() {
        dropArmed.set(true);
    }

    /** Cuts every connection now and refuses new ones (accepted, then closed) until {@link #resume}. */
    void pause() {
        paused = true;
        for (final Socket s : sockets) {
            quietClose(s);
        }
    }

    /** Accepts connections again. */
    void resume() {
        paused = false;
    }

    /** Commits whose answer was lost, or that were cut before the server, so far. */
    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                final Socket client = server.accept();
                if (paused) {
                    quietClose(client);
                    continue;
                }
                final Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
                sockets.add(client);
                sockets.add(upstream);
                final Object lock = new Object();
                final boolean[] cutPending = {false};
                pump("c2s", client, upstream, lock, cutPending, true);
                pump("s2c", upstream, client, lock, cutPending, false);
            } catch (final IOException e) {
                return;
            }
        }
    }

    private void pump(final String name, final Socket from, final Socket to, final Object lock,
                      final boolean[] cutPending, final boolean clientSide) {
        final Thread t = new Thread(() -> {
            final byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    if (clientSide && contains(buf, n, COMMIT) && dropArmed.compareAndSet(true, false)) {
                        cuts.incrementAndGet(); // the COMMIT goes nowhere
                        quietClose(from);
                        quietClose(to);
                        return;
                    }
                    if (clientSide && contains(buf, n, COMMIT) && armed.compareAndSet(true, false)) {
                        synchronized (lock) {
                            cutPending[0] = true;
                        }
                    } else if (!clientSide) {
                        synchronized (lock) {
                            if (cutPending[0]) {
                                // The server answered the COMMIT: it happened. Lose the answer.
                                cuts.incrementAndGet();
                                quietClose(from);
                                quietClose(to);
                                return;
                            }
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (final IOException e) {
                // one side went away
            } finally {
                quietClose(from);
                quietClose(to);
            }
        }, "cutting-proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    private static boolean contains(final byte[] buf, final int n, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void quietClose(final Socket s) {
        try {
            s.close();
        } catch (final IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (final Socket s : sockets) {
            quietClose(s);
        }
    }
}
