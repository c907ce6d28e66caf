package akhbar.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The Lucene baseline of {@code akhbar bench-index}: indexes the title and body of every
 * record of a JSON Lines corpus (plain or .gz) with Lucene's ArabicAnalyzer (its
 * normaliser, light stemmer and stop words) into one text field, nothing stored, the way
 * the plain tantivy baseline indexes them, with the same number of indexing threads and
 * the same RAM buffer; then prints one JSON line with the figures the other engines
 * report (seconds, articles, text bytes, index bytes, peak RSS, CPU seconds).
 *
 * <p>Usage: {@code LuceneIndex --jobs N --ram-mb M --out DIR INPUT}. The reader thread
 * parses the records; N threads call {@code addDocument} (Lucene analyses and inverts in
 * the calling thread, as tantivy does in its N indexing threads).
 */
public final class LuceneIndex {
    private static final Doc END = new Doc("", "");

    private record Doc(String title, String body) {}

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        int jobs = 2;
        int ramMb = 256;
        Path out = null;
        Path input = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--ram-mb" -> ramMb = Integer.parseInt(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                default -> input = Paths.get(args[i]);
            }
        }
        if (out == null || input == null || jobs < 1) {
            System.err.println("usage: LuceneIndex --jobs N --ram-mb M --out DIR INPUT");
            System.exit(2);
        }
        IndexWriterConfig config = new IndexWriterConfig(new ArabicAnalyzer());
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        config.setRAMBufferSizeMB(ramMb);
        long articles = 0;
        long textBytes = 0;
        long lineNo = 0;
        try (FSDirectory dir = FSDirectory.open(out);
                IndexWriter writer = new IndexWriter(dir, config)) {
            BlockingQueue<Doc> queue = new ArrayBlockingQueue<>(1024);
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < jobs; t++) {
                Thread worker = new Thread(() -> index(writer, queue, failure));
                worker.start();
                workers.add(worker);
            }
            try (BufferedReader reader = open(input)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    Doc doc;
                    try {
                        doc = Record.parse(line);
                    } catch (IllegalArgumentException e) {
                        System.err.println(input + ":" + lineNo + ": skipped: " + e.getMessage());
                        continue;
                    }
                    if (doc == null) {
                        continue;
                    }
                    articles++;
                    textBytes += utf8Length(doc.title()) + utf8Length(doc.body());
                    queue.put(doc);
                    if (failure.get() != null) {
                        break;
                    }
                }
            }
            for (int t = 0; t < jobs; t++) {
                queue.put(END);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            writer.commit();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "{\"engine\":\"Lucene\",\"seconds\":%.4f,\"articles\":%d,\"passages\":%d,"
                        + "\"text_bytes\":%d,\"index_bytes\":%d,\"peak_rss_kb\":%d,"
                        + "\"cpu_seconds\":%.2f}%n",
                seconds, articles, articles, textBytes, dirSize(out), peakRssKb(), cpuSeconds());
    }

    private static void index(IndexWriter writer, BlockingQueue<Doc> queue, AtomicReference<Exception> failure) {
        try {
            while (true) {
                Doc doc = queue.take();
                if (doc == END) {
                    return;
                }
                Document d = new Document();
                d.add(new TextField("text", doc.title() + "\n" + doc.body(), Field.Store.NO));
                writer.addDocument(d);
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private static BufferedReader open(Path input) throws IOException {
        InputStream in = Files.newInputStream(input);
        if (input.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static long dirSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** VmHWM of this process, in kB (0 when /proc cannot be read). */
    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** User + system CPU seconds of this process (clock ticks of 1/100 s). */
    private static double cpuSeconds() {
        try {
            String stat = Files.readString(Paths.get("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Reads the title and body of one record line; null for a record without a body. */
    static final class Record {
        private final String s;
        private int i;

        private Record(String s) {
            this.s = s;
        }

        static Doc parse(String line) {
            Record r = new Record(line);
            String title = "";
            String body = null;
            r.skipSpace();
            r.expect('{');
            r.skipSpace();
            if (r.peek() == '}') {
                return null;
            }
            while (true) {
                r.skipSpace();
                String key = r.string();
                r.skipSpace();
                r.expect(':');
                r.skipSpace();
                Object value = r.value();
                if (key.equals("title") && value instanceof String t) {
                    title = t;
                } else if (key.equals("body") && value instanceof String b) {
                    body = b;
                }
                r.skipSpace();
                char c = r.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or } at byte " + r.i);
                }
            }
            return body == null ? null : new Doc(title, body);
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end of line");
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c + " at byte " + (i - 1));
            }
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        /** A string, number, literal, or (skipped) nested value; strings are returned. */
        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '{' || c == '[') {
                skipNested();
                return null;
            }
            int start = i;
            while (i < s.length() && ",}] \t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        private void skipNested() {
            int depth = 0;
            do {
                char c = peek();
                if (c == '"') {
                    string();
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
                i++;
            } while (depth > 0);
        }

        private String string() {
            expect('"');
            StringBuilder b = null;
            int start = i;
            while (true) {
                char c = next();
                if (c == '"') {
                    return b == null ? s.substring(start, i - 1) : b.toString();
                }
                if (c != '\\') {
                    if (b != null) {
                        b.append(c);
                    }
                    continue;
                }
                if (b == null) {
                    b = new StringBuilder(s.length() - start);
                    b.append(s, start, i - 1);
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape at byte " + i);
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e + " at byte " + i);
                }
            }
        }
    }
}
