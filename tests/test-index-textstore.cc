/* test-index-textstore.cc -- the stored text's chunks (index/textstore.h):
 * splitting, storing, reading back, damage; and through the C API, that a
 * match deep in a long document gets its snippet and page, and that a
 * replaced or deleted document leaves no chunk behind. */
#include "fouille-index.h"
#include "tap.h"
#include "textstore.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <string>
#include <vector>

using fouille::TEXT_CHUNK_BYTES;

namespace
{

bool valid_utf8_start(const std::string &s)
{
    return s.empty() || (static_cast<unsigned char>(s[0]) & 0xC0) != 0x80;
}

size_t count_chunk_keys(const std::string &db)
{
    Xapian::Database d(db);
    size_t n = 0;
    for (Xapian::TermIterator k = d.metadata_keys_begin("T");
         k != d.metadata_keys_end("T"); ++k)
        n++;
    return n;
}

fouille_index_status_t put(fouille_index_t *w, const char *path,
                           const std::string &text, unsigned pages)
{
    fouille_index_doc_t d;
    std::memset(&d, 0, sizeof d);
    d.path = path;
    d.signature = "sig";
    d.plugin = "test/1";
    d.mime = pages ? "application/pdf" : "text/plain";
    d.title = "Rapport";
    d.pages = pages;
    d.size = text.size();
    d.text = text.data();
    d.text_len = text.size();
    return fouille_index_put(w, &d);
}

void test_split()
{
    std::vector<fouille::Chunk> chunks;
    fouille::split_text("", chunks);
    tap_ok(chunks.empty(), "an empty text has no chunk");

    std::string text;
    for (int i = 0; text.size() < 10 * TEXT_CHUNK_BYTES; i++)
        text += "élu" + std::to_string(i) + (i % 500 == 499 ? "\f" : i % 7 ? " " : "\n");
    fouille::split_text(text, chunks);
    std::string joined;
    bool sizes = true, ends = true, starts = true, pages = true;
    for (size_t k = 0; k < chunks.size(); k++) {
        const fouille::Chunk &c = chunks[k];
        starts = starts && c.start == joined.size();
        pages = pages && c.page == 1 + std::count(joined.begin(), joined.end(), '\f');
        joined += c.text;
        sizes = sizes && c.text.size() <= TEXT_CHUNK_BYTES;
        char last = c.text.back();
        ends = ends && (k + 1 == chunks.size() || last == ' ' ||
                        last == '\n' || last == '\f');
    }
    tap_ok(chunks.size() >= 10, "a 40 KB text makes %zu chunks", chunks.size());
    tap_ok(joined == text, "put together, the chunks are the text");
    tap_ok(starts, "each knows where it starts");
    tap_ok(pages && chunks.back().page > 1, "and on which page");
    tap_ok(sizes, "none is larger than a chunk");
    tap_ok(ends, "each but the last ends on white space");

    std::string word;
    while (word.size() < 3 * TEXT_CHUNK_BYTES)
        word += "é";
    fouille::split_text(word, chunks);
    bool cut = true;
    joined.clear();
    for (const fouille::Chunk &c : chunks) {
        cut = cut && valid_utf8_start(c.text);
        joined += c.text;
    }
    tap_ok(chunks.size() >= 3 && cut && joined == word,
           "a word longer than a chunk is cut between code points");

    fouille::ChunkFilter f;
    tap_ok(f.might_hold("fonci"), "an empty filter holds everything");
    f.add("fonci");
    f.add("mobil");
    tap_ok(f.might_hold("fonci") && f.might_hold("mobil"),
           "a filter holds what was added");
    int false_positives = 0;
    for (int i = 0; i < 1000; i++)
        false_positives += f.might_hold("absent" + std::to_string(i));
    tap_ok(false_positives < 10, "and rarely anything else (%d in 1000)",
           false_positives);
}

std::vector<fouille::Chunk> chunks_of(
    std::initializer_list<const char *> texts)
{
    std::vector<fouille::Chunk> out;
    size_t at = 0;
    for (const char *t : texts) {
        fouille::Chunk c;
        c.start = at;
        c.text = t;
        at += c.text.size();
        out.push_back(c);
    }
    return out;
}

/* The chunks as the writer stores them. */
std::vector<std::string> encoded(const std::vector<fouille::Chunk> &chunks)
{
    std::vector<std::string> out;
    for (const fouille::Chunk &c : chunks)
        out.push_back(fouille::encode_chunk(c));
    return out;
}

void test_store(const std::string &dir)
{
    std::string db = dir + "/raw";
    Xapian::WritableDatabase w(db, Xapian::DB_CREATE_OR_OPEN);
    std::vector<fouille::Chunk> chunks =
        chunks_of({"premier morceau ", "deuxième ", "troisième"});
    chunks[1].filter.add("deuxiem");
    chunks[2].filter.add("troisiem");
    chunks[2].page = 4;
    fouille::store_chunks(w, 7, encoded(chunks));
    w.commit();
    Xapian::Database r(db);
    fouille::TextChunks more(r, 7, 3);
    std::string text;
    while (more.next(text)) {
    }
    tap_is_str(text.c_str(), "premier morceau deuxième troisième",
               "the chunks read back in order");
    fouille::TextChunks skip(r, 7, 3);
    std::vector<std::string> wanted = {"troisiem"};
    text.clear();
    tap_ok(skip.next(text, &wanted) && !skip.restarted(),
           "the first chunk is always read");
    tap_ok(skip.next(text, &wanted) && skip.restarted() &&
               text == "troisième" && skip.page() == 4,
           "a chunk without the words is passed over: the text restarts at "
           "the next that has them, with its page");
    std::string one;
    tap_ok(!fouille::load_chunk(r, 8, 0, one), "another document has none");

    w.set_metadata(std::string("T\0\0\0\0\0\0\0\7\0\0\0\1", 13),
                   std::string(9, '\0') + "xx");
    std::string big(4, '\x7f');
    big += std::string(5, '\0') + "garbage";
    w.set_metadata(std::string("T\0\0\0\0\0\0\0\7\0\0\0\2", 13), big);
    w.commit();
    r.reopen();
    one.clear();
    tap_ok(!fouille::load_chunk(r, 7, 1, one) && one.empty(),
           "a damaged chunk is refused");
    tap_ok(!fouille::load_chunk(r, 7, 2, one) && one.empty(),
           "a chunk claiming 2 GB is refused");
    fouille::TextChunks damaged(r, 7, 3);
    text.clear();
    while (damaged.next(text)) {
    }
    tap_is_str(text.c_str(), "premier morceau ",
               "reading stops at the damage");

    /* Damage behind a passed-over chunk: the text read so far stays. */
    std::vector<fouille::Chunk> two = chunks_of({"début ", "milieu "});
    two[1].filter.add("milieu");
    fouille::store_chunks(w, 9, encoded(two));
    std::string bad(4, '\0');
    bad[3] = 5;                          /* 5 bytes of text */
    bad += std::string("\0\0\0\4", 4); /* on page 4 */
    bad += '\4';                         /* a 256-byte filter */
    bad += std::string(256, '\xff');     /* that holds everything */
    bad += "not lz4";
    w.set_metadata(std::string("T\0\0\0\0\0\0\0\11\0\0\0\2", 13), bad);
    w.commit();
    r.reopen();
    fouille::TextChunks behind(r, 9, 3);
    std::vector<std::string> third = {"fin"};
    text.clear();
    tap_ok(behind.next(text, &third) && !behind.next(text, &third) &&
               text == "début ",
           "a damaged chunk after passed-over ones leaves the text read");

    fouille::drop_chunks(w, 7, 3);
    fouille::drop_chunks(w, 9, 3);
    w.commit();
    tap_is_int(count_chunk_keys(db), 0, "dropped, nothing is left");
}

void test_index(const std::string &dir)
{
    std::string db = dir + "/idx";
    char err[512];
    fouille_index_t *w = nullptr;
    if (!tap_ok(fouille_index_open(db.c_str(), FOUILLE_INDEX_WRITE, &w, err,
                                   sizeof err) == FOUILLE_INDEX_OK,
                "open an index"))
        return;
    /* Eight pages of 12 KB; the only "zanzibar" is on page 7. */
    std::string text;
    for (int page = 1; page <= 8; page++) {
        if (page > 1)
            text += '\f';
        std::string body;
        while (body.size() < 12000)
            body += "Les collectivités territoriales délibèrent. ";
        if (page == 7)
            body += "Un jumelage avec Zanzibar est proposé. ";
        text += body;
    }
    tap_ok(put(w, "long.pdf", text, 8) == FOUILLE_INDEX_OK &&
               fouille_index_commit(w) == FOUILLE_INDEX_OK,
           "index a 96 KB document");
    size_t keys = count_chunk_keys(db);
    tap_ok(keys >= 20, "its text is stored in %zu chunks", keys);

    fouille_query_t q;
    std::memset(&q, 0, sizeof q);
    q.q = "zanzibar";
    fouille_results_t *res = nullptr;
    const fouille_hit_t *h = nullptr;
    if (fouille_index_search(w, &q, &res) == FOUILLE_INDEX_OK &&
        fouille_results_count(res) == 1)
        h = fouille_results_hit(res, 0);
    tap_ok(h && std::strstr(h->snippet, "<mark>Zanzibar</mark>"),
           "a match 80 KB deep gets its snippet: %s",
           h ? h->snippet : "(no hit)");
    tap_is_int(h ? h->page : 0, 7, "and its page");
    tap_ok(h && std::strncmp(h->snippet, "\xE2\x80\xA6", 3) == 0,
           "and says the text goes on before it");
    fouille_results_destroy(res);

    /* Passing chunks over never loses a match: 300 words, each once,
     * spread over 25 chunks, each found with its snippet. The words are
     * letters only ("motclef" and i in base 18): with digits they would
     * be compounds, whose parts match everywhere; and letters no
     * stemming rule reads, so that no two share a stem key. */
    auto word_of = [](int i) {
        static const char digits[] = "bcdfghjklmnoprtwyz";
        std::string w = "motclef";
        for (int k = 0; k < 2; k++, i /= 18)
            w += digits[i % 18];
        return w;
    };
    std::string many;
    for (int i = 0; i < 300; i++) {
        many += word_of(i) + " ";
        for (int k = 0; k < 6; k++)
            many += "Les collectivités territoriales délibèrent. ";
    }
    tap_ok(put(w, "many.txt", many, 0) == FOUILLE_INDEX_OK &&
               fouille_index_commit(w) == FOUILLE_INDEX_OK,
           "index 300 words spread over %zu KB", many.size() / 1024);
    int found = 0;
    for (int i = 0; i < 300; i += 7) {
        std::string word = word_of(i);
        std::string mark = "<mark>" + word + "</mark>";
        q.q = word.c_str();
        if (fouille_index_search(w, &q, &res) == FOUILLE_INDEX_OK &&
            fouille_results_count(res) == 1 &&
            std::strstr(fouille_results_hit(res, 0)->snippet, mark.c_str()))
            found++;
        else
            tap_diag("%s: no marked snippet", word.c_str());
        fouille_results_destroy(res);
    }
    tap_is_int(found, 43, "each word gets its snippet");
    tap_ok(fouille_index_delete(w, "many.txt") == FOUILLE_INDEX_OK,
           "delete it");

    /* Compaction keeps document ids, and so the chunks' keys. */
    tap_ok(put(w, "other.txt", "Un autre texte.", 0) == FOUILLE_INDEX_OK &&
               fouille_index_compact(w) == FOUILLE_INDEX_OK,
           "compact the index in place");
    tap_ok(access((db + ".compact").c_str(), F_OK) != 0 &&
               access((db + ".old").c_str(), F_OK) != 0,
           "and leave nothing beside it");
    h = nullptr;
    q.q = "zanzibar";
    if (fouille_index_search(w, &q, &res) == FOUILLE_INDEX_OK &&
        fouille_results_count(res) == 1)
        h = fouille_results_hit(res, 0);
    tap_ok(h && std::strstr(h->snippet, "<mark>Zanzibar</mark>") &&
               h->page == 7,
           "the deep match keeps its snippet and page");
    fouille_results_destroy(res);
    tap_ok(put(w, "other.txt", "Un texte encore.", 0) == FOUILLE_INDEX_OK &&
               fouille_index_commit(w) == FOUILLE_INDEX_OK,
           "the handle still writes");

    tap_ok(put(w, "long.pdf", "Une page, désormais.", 1) == FOUILLE_INDEX_OK &&
               fouille_index_commit(w) == FOUILLE_INDEX_OK,
           "replace it with a short text");
    tap_is_int(count_chunk_keys(db), 2,
               "the old chunks are gone: one is left, and other.txt's");
    q.q = "zanzibar";
    tap_ok(fouille_index_search(w, &q, &res) == FOUILLE_INDEX_OK &&
               fouille_results_count(res) == 0,
           "and the old text is not found");
    fouille_results_destroy(res);
    q.q = "désormais";
    tap_ok(fouille_index_search(w, &q, &res) == FOUILLE_INDEX_OK &&
               fouille_results_count(res) == 1 &&
               std::strstr(fouille_results_hit(res, 0)->snippet,
                           "<mark>désormais</mark>"),
           "the new one is, with its snippet");
    fouille_results_destroy(res);

    tap_ok(fouille_index_put_failure(w, "long.pdf", "sig2", "application/pdf",
                                     "test/1", "encrypted",
                                     1) == FOUILLE_INDEX_OK &&
               fouille_index_commit(w) == FOUILLE_INDEX_OK,
           "record a failure in its place");
    tap_is_int(count_chunk_keys(db), 1, "its chunk is gone");

    tap_ok(put(w, "long.pdf", text, 8) == FOUILLE_INDEX_OK &&
               fouille_index_delete(w, "long.pdf") == FOUILLE_INDEX_OK &&
               fouille_index_commit(w) == FOUILLE_INDEX_OK,
           "index it again, then delete it");
    tap_is_int(count_chunk_keys(db), 1, "deleted, none of its chunks is left");
    fouille_index_close(w);
}

} // namespace

int main()
{
    const char *tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") +
                      "/fouille-test-XXXXXX";
    if (!mkdtemp(&dir[0])) {
        std::perror("mkdtemp");
        return 1;
    }
    test_split();
    test_store(dir);
    test_index(dir);
    std::string rm = "rm -rf '" + dir + "'";
    if (std::system(rm.c_str()) != 0)
        tap_diag("could not remove %s", dir.c_str());
    return tap_done();
}
