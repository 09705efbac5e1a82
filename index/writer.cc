/* writer.cc -- fouille_index_put, _put_failure, _delete and _commit: from a
 * fouille_index_doc_t to a Xapian document (see model.h). */
#include "analyzer.h"
#include "docdata.h"
#include "group.h"
#include "handle.h"
#include "model.h"
#include "status.h"
#include "textstore.h"
#include "utf8.h"

#include <xapian.h>

#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace fouille
{

namespace
{

/* Within-document frequency added per occurrence, by field: a title word
 * weighs as much as five body occurrences. */
constexpr Xapian::termcount WDF_BODY = 1;
constexpr Xapian::termcount WDF_TITLE = 5;
constexpr Xapian::termcount WDF_KEYWORDS = 2;
constexpr Xapian::termcount WDF_OTHER = 1;

/* Gap between the positions of two fields, so that a phrase cannot match
 * across them. */
constexpr Xapian::termpos FIELD_GAP = 100;

/* Spelling data comes from the title, description, keywords and the start
 * of the body: enough for a "did you mean", at a bounded cost. */
constexpr size_t SPELLING_BODY_BYTES = 64 * 1024;
constexpr size_t SPELLING_MIN_BYTES = 3;

using Spelling = std::map<std::string, Xapian::termcount>;

/* Adds the terms of one field to a document. */
class FieldIndexer : public TokenSink
{
  public:
    FieldIndexer(Analyzer &an, Xapian::Document &doc) : an_(an), doc_(doc) {}

    /* Index text[0..len). Positions start at base (none if base is 0);
     * each occurrence adds wdf; title words are also indexed under the
     * "S" prefix. Words starting before spelling_bytes feed spelling.
     * Returns the last position used. */
    Xapian::termpos index(const char *text, size_t len, Xapian::termpos base,
                          Xapian::termcount wdf, bool title, Spelling *spelling,
                          size_t spelling_bytes)
    {
        base_ = base;
        wdf_ = wdf;
        title_ = title;
        spelling_ = spelling;
        spelling_bytes_ = spelling_bytes;
        last_ = base;
        tokenize(text, len, *this);
        return last_;
    }

    /* Collect the words indexed into words (null: stop). */
    void record_words(WordSet *words) { words_ = words; }

    /* While indexing the text they split, record the words of each chunk
     * in its filter (null: stop). */
    void record_chunks(std::vector<Chunk> *chunks)
    {
        chunks_ = chunks;
        chunk_ = 0;
    }

    bool token(const char *text, const Token &t) override
    {
        if (!fold(text + t.start, t.end - t.start, lower_, plain_) ||
            plain_.size() > MAX_WORD_BYTES)
            return true;
        if (base_) {
            Xapian::termpos p = base_ + t.pos, q = base_ + t.pos_last;
            doc_.add_posting(plain_, p, wdf_);
            /* A joined compound sits at its first and its last part, so a
             * phrase reaches it from either side. */
            if (q != p)
                doc_.add_posting(plain_, q, 0);
            if (title_) {
                doc_.add_posting("S" + plain_, p, 1);
                if (q != p)
                    doc_.add_posting("S" + plain_, q, 0);
            }
            if (q > last_)
                last_ = q;
        } else {
            doc_.add_term(plain_, wdf_);
        }
        Chunk *chunk = nullptr;
        if (chunks_) {
            while (chunk_ + 1 < chunks_->size() &&
                   (*chunks_)[chunk_ + 1].start <= t.start)
                chunk_++;
            chunk = &(*chunks_)[chunk_];
        }
        if (words_)
            words_->add(plain_);
        const std::string &key = an_.key(plain_);
        if (chunk)
            chunk->filter.add(key.empty() ? plain_ : key);
        if (!key.empty()) {
            doc_.add_term("Z" + key, wdf_);
            if (title_)
                doc_.add_term("ZS" + key, 1);
        }
        if (spelling_ && t.start < spelling_bytes_ &&
            plain_.size() >= SPELLING_MIN_BYTES && all_letters(plain_))
            (*spelling_)[plain_]++;
        return true;
    }

  private:
    Analyzer &an_;
    Xapian::Document &doc_;
    Xapian::termpos base_ = 0, last_ = 0;
    Xapian::termcount wdf_ = 1;
    bool title_ = false;
    Spelling *spelling_ = nullptr;
    size_t spelling_bytes_ = 0;
    std::vector<Chunk> *chunks_ = nullptr;
    size_t chunk_ = 0;
    WordSet *words_ = nullptr;
    std::string lower_, plain_;
};

/* The plain words of a title, one space apart: what groups the formats
 * of a publication (group.h). Without a title, the file name's. */
std::string title_words(const char *title, const std::string &path)
{
    class Words : public TokenSink
    {
      public:
        bool token(const char *text, const Token &t) override
        {
            if (t.kind != Token::JOINED &&
                fold(text + t.start, t.end - t.start, lower, plain)) {
                if (!out.empty())
                    out += ' ';
                out += plain;
            }
            return true;
        }
        std::string out, lower, plain;
    } w;
    std::string name = file_name_words(path);
    const char *src = title && *title ? title : name.c_str();
    tokenize(src, std::strlen(src), w);
    return w.out;
}

void need_writer(fouille_index_t *idx)
{
    if (!idx)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT, "no index handle");
    if (idx->mode != FOUILLE_INDEX_WRITE)
        fail(FOUILLE_INDEX_READ_ONLY, "the index was opened read-only");
}

void check_path(const char *path)
{
    if (!path || !*path)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT, "the path is empty");
    size_t n = std::strlen(path);
    if (n > MAX_PATH_BYTES)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT, "the path is too long");
    if (path[0] == '/')
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             "the path must be relative to the documents root");
    if (!utf8_valid(path, n))
        fail(FOUILLE_INDEX_INVALID_ARGUMENT, "the path is not valid UTF-8");
}

void check_field(const char *name, const char *value)
{
    if (value && !utf8_valid(value, std::strlen(value)))
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             std::string("the ") + name + " is not valid UTF-8");
}

/* The docid recorded for path, or 0. */
Xapian::docid find(fouille_index_t *idx, const std::string &qterm)
{
    Xapian::PostingIterator it = idx->wdb.postlist_begin(qterm);
    return it == idx->wdb.postlist_end(qterm) ? 0 : *it;
}

/* Drop the text chunks of the document did replaces (0: none). */
void drop_old_chunks(fouille_index_t *idx, Xapian::docid did)
{
    if (!did)
        return;
    DocData old;
    if (decode_data(stored_data(idx->wdb.get_document(did)), old))
        drop_chunks(idx->wdb, did, old.chunks);
}

/* The analysis of a document by a thread that has no index: each thread
 * keeps its own memos (an Analyzer is not thread-safe). */
Analyzer &thread_analyzer()
{
    static thread_local Analyzer analyzer;
    return analyzer;
}

} // namespace

} // namespace fouille

/* A document analysed, waiting for the writer: everything put() needs
 * that does not depend on what the index holds. */
struct fouille_index_prepared {
    fouille_index_status_t status = FOUILLE_INDEX_OK; /* not OK: refused */
    std::string error;                                /* why */
    Xapian::Document doc;
    std::string qterm, title_words;
    uint64_t simhash = 0;
    std::string data;                 /* encoded DocData (SLOT_DATA) */
    std::vector<std::string> chunks;  /* encoded text chunks */
    fouille::Spelling spelling;       /* empty for a private document */
    bool spent = false;               /* put once already */
};

namespace fouille
{

namespace
{

void prepare(const fouille_index_doc_t *d, fouille_index_prepared &p)
{
    if (!d)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT, "no document");
    check_path(d->path);
    check_field("signature", d->signature);
    check_field("plugin", d->plugin);
    check_field("MIME type", d->mime);
    check_field("type", d->type);
    check_field("title", d->title);
    check_field("author", d->author);
    check_field("date", d->date);
    check_field("language", d->language);
    check_field("description", d->description);
    check_field("keywords", d->keywords);
    if (d->text_len && !d->text)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             "text_len is set but text is NULL");

    DocData data;
    data.set(F_PATH, d->path);
    data.set(F_SIGNATURE, d->signature);
    data.set(F_PLUGIN, d->plugin);
    data.set(F_MIME, d->mime);
    data.set(F_TYPE, d->type);
    data.set(F_TITLE, d->title);
    data.set(F_AUTHOR, d->author);
    data.set(F_DATE, d->date);
    data.set(F_LANGUAGE, d->language);
    data.set(F_DESCRIPTION, d->description);
    data.set(F_KEYWORDS, d->keywords);
    data.size = d->size;
    data.pages = d->pages;
    /* STALE is worked out by put_failure(), never taken from the caller. */
    data.flags = d->flags & ~FOUILLE_DOC_STALE;
    const bool is_private = (d->flags & FOUILLE_DOC_PRIVATE) != 0;
    if (d->flags & FOUILLE_DOC_OCR)
        data.set(F_OCR_PAGES, d->ocr_pages);
    /* Extracted text may hold stray bytes: keep the document, replace
     * them with U+FFFD (the tokenizer would skip them anyway). */
    const char *text = d->text ? d->text : "";
    size_t text_len = d->text ? d->text_len : 0;
    data.has[F_TEXT] = d->text != nullptr;
    if (utf8_valid(text, text_len))
        data.s[F_TEXT].assign(text, text_len);
    else
        data.s[F_TEXT] = utf8_sanitize(text, text_len);
    const std::string &body = data.s[F_TEXT];

    Xapian::Document &doc = p.doc;
    const std::string path = d->path;
    p.qterm = id_term(path);
    doc.add_boolean_term(p.qterm);
    doc.add_boolean_term(DOC_MARKER);
    if (is_private)
        doc.add_boolean_term(PRIVATE_MARKER);
    if (d->type && *d->type) {
        add_boolean(doc, std::string("XT") + d->type);
    }
    if (d->mime && *d->mime)
        add_boolean(doc, std::string("XM") + d->mime);
    for (const std::string &t : folder_terms(path))
        doc.add_boolean_term(t);
    std::string sortable, year;
    if (parse_date(d->date, sortable, year)) {
        doc.add_value(SLOT_DATE, sortable);
        doc.add_boolean_term("XY" + year);
    }
    doc.add_value(SLOT_FACETS,
                  facet_value(d->type && *d->type ? d->type : nullptr, year,
                              path));
    doc.add_value(SLOT_SIZE,
                  Xapian::sortable_serialise(static_cast<double>(d->size)));

    Entry e;
    e.kind = Entry::DOCUMENT;
    e.set(E_PATH, d->path);
    e.set(E_SIGNATURE, d->signature);
    e.set(E_MIME, d->mime);
    e.set(E_PLUGIN, d->plugin);
    e.set(E_TITLE, d->title);
    e.set(E_PRIVATE, is_private ? "1" : nullptr);
    doc.add_value(SLOT_ENTRY, encode_entry(e));

    /* The text goes in chunks of its own (textstore.h), each with the
     * filter of its words. */
    std::vector<Chunk> chunks;
    split_text(body, chunks);
    Spelling spelling;
    FieldIndexer fi(thread_analyzer(), doc);
    WordSet words;
    fi.record_chunks(&chunks);
    fi.record_words(&words);
    Xapian::termpos pos = fi.index(body.data(), body.size(), 1, WDF_BODY, false,
                                   &spelling, SPELLING_BODY_BYTES);
    fi.record_chunks(nullptr);
    fi.record_words(nullptr);
    if (d->title)
        pos = fi.index(d->title, std::strlen(d->title), pos + FIELD_GAP,
                       WDF_TITLE, true, &spelling, SIZE_MAX);
    if (d->description)
        pos = fi.index(d->description, std::strlen(d->description),
                       pos + FIELD_GAP, WDF_OTHER, false, &spelling, SIZE_MAX);
    if (d->keywords)
        pos = fi.index(d->keywords, std::strlen(d->keywords), pos + FIELD_GAP,
                       WDF_KEYWORDS, false, &spelling, SIZE_MAX);
    if (d->author)
        pos = fi.index(d->author, std::strlen(d->author), pos + FIELD_GAP,
                       WDF_OTHER, false, nullptr, 0);
    std::string name = file_name_words(path);
    fi.index(name.data(), name.size(), 0, WDF_OTHER, false, nullptr, 0);

    data.s[F_TEXT].clear();
    data.chunks = static_cast<unsigned>(chunks.size());
    p.data = encode_data(data);
    p.chunks.reserve(chunks.size());
    for (const Chunk &c : chunks)
        p.chunks.push_back(encode_chunk(c));
    p.title_words = title_words(d->title, path);
    p.simhash = words.simhash();
    /* Xapian keeps one spelling table per database, which every search
     * reads: a private document's words would come back to the public as
     * "did you mean" suggestions, so they never enter it. */
    if (!is_private)
        p.spelling = std::move(spelling);
}

/* The part of put() that needs the index: what the path held before, the
 * group of the publication, the writing. */
fouille_index_status_t put_prepared(fouille_index_t *idx,
                                    fouille_index_prepared &p)
{
    need_writer(idx);
    if (p.status != FOUILLE_INDEX_OK)
        fail(p.status, p.error);
    /* The group's terms go into the document itself (a Xapian::Document
     * copy shares it): a second put could keep a stale group. */
    if (p.spent)
        fail(FOUILLE_INDEX_INVALID_ARGUMENT,
             "this prepared document was put already: prepare it again");
    p.spent = true;
    Xapian::Document &doc = p.doc;
    /* The previous version's chunks go first. */
    Xapian::docid old = find(idx, p.qterm);
    drop_old_chunks(idx, old);
    assign_group(idx->wdb, doc, old, p.title_words, p.simhash);
    doc.add_value(SLOT_DATA, p.data);
    Xapian::docid did = idx->wdb.replace_document(p.qterm, doc);
    store_chunks(idx->wdb, did, p.chunks);
    for (const auto &s : p.spelling)
        idx->wdb.add_spelling(s.first, s.second);
    return FOUILLE_INDEX_OK;
}

fouille_index_status_t set_private(fouille_index_t *idx, const char *path,
                                   bool is_private)
{
    need_writer(idx);
    check_path(path);
    Xapian::docid did = find(idx, id_term(path));
    if (!did)
        return FOUILLE_INDEX_OK;
    Xapian::Document doc = idx->wdb.get_document(did);
    Entry e;
    DocData data;
    if (!decode_entry(doc.get_value(SLOT_ENTRY), e) ||
        e.kind == Entry::FAILURE || e.s[E_PATH] != path ||
        !decode_data(stored_data(doc), data))
        return FOUILLE_INDEX_OK;
    if (e.has[E_PRIVATE] == is_private)
        return FOUILLE_INDEX_OK;
    e.set(E_PRIVATE, is_private ? "1" : nullptr);
    doc.add_value(SLOT_ENTRY, encode_entry(e));
    if (is_private) {
        doc.add_boolean_term(PRIVATE_MARKER);
        data.flags |= FOUILLE_DOC_PRIVATE;
    } else {
        doc.remove_term(PRIVATE_MARKER);
        data.flags &= ~FOUILLE_DOC_PRIVATE;
    }
    doc.add_value(SLOT_DATA, encode_data(data));
    idx->wdb.replace_document(did, doc);
    return FOUILLE_INDEX_OK;
}

fouille_index_status_t put_failure(fouille_index_t *idx, const char *path,
                                   const char *signature, const char *mime,
                                   const char *plugin, const char *reason,
                                   int replace_document)
{
    need_writer(idx);
    check_path(path);
    check_field("signature", signature);
    check_field("MIME type", mime);
    check_field("plugin", plugin);
    check_field("reason", reason);
    if (!reason || !*reason)
        reason = "failed";

    std::string qterm = id_term(path);
    Xapian::docid did = find(idx, qterm);
    if (did && !replace_document) {
        Xapian::Document doc = idx->wdb.get_document(did);
        Entry e;
        if (decode_entry(doc.get_value(SLOT_ENTRY), e) &&
            e.kind != Entry::FAILURE && e.s[E_PATH] == path) {
            /* Keep the indexed version; remember the failure so that the
             * caller does not retry until the file changes again. Only a
             * value and the data's flags change: Xapian rewrites no term. */
            /* The text searched is now the last good version's: hits
             * say so (FOUILLE_DOC_STALE). A failure recorded for the very
             * version indexed (metadata only, "no text") is not stale. */
            DocData data;
            if (decode_data(stored_data(doc), data)) {
                const char *had = data.get(F_SIGNATURE);
                bool stale = !had || !signature || std::strcmp(had, signature);
                unsigned flags = stale ? data.flags | FOUILLE_DOC_STALE
                                       : data.flags & ~FOUILLE_DOC_STALE;
                if (flags != data.flags) {
                    data.flags = flags;
                    doc.add_value(SLOT_DATA, encode_data(data));
                }
            }
            e.kind = Entry::KEPT;
            e.set(E_SIGNATURE, signature);
            e.set(E_REASON, reason);
            if (mime)
                e.set(E_MIME, mime);
            if (plugin)
                e.set(E_PLUGIN, plugin);
            doc.add_value(SLOT_ENTRY, encode_entry(e));
            idx->wdb.replace_document(did, doc);
            return FOUILLE_INDEX_OK;
        }
    }

    drop_old_chunks(idx, did);
    Xapian::Document doc;
    doc.add_boolean_term(qterm);
    doc.add_boolean_term(FAIL_MARKER);
    DocData data;
    data.set(F_PATH, path);
    data.set(F_SIGNATURE, signature);
    data.set(F_MIME, mime);
    data.set(F_PLUGIN, plugin);
    data.set(F_REASON, reason);
    doc.add_value(SLOT_DATA, encode_data(data));
    Entry e;
    e.kind = Entry::FAILURE;
    e.set(E_PATH, path);
    e.set(E_SIGNATURE, signature);
    e.set(E_MIME, mime);
    e.set(E_PLUGIN, plugin);
    e.set(E_REASON, reason);
    doc.add_value(SLOT_ENTRY, encode_entry(e));
    idx->wdb.replace_document(qterm, doc);
    return FOUILLE_INDEX_OK;
}

} // namespace

} // namespace fouille

using fouille::guard;

extern "C" {

FOUILLE_INDEX_API fouille_index_prepared_t *
fouille_index_prepare(const fouille_index_doc_t *doc)
{
    fouille_index_prepared_t *p;
    try {
        p = new fouille_index_prepared;
    } catch (...) {
        return nullptr;
    }
    try {
        fouille::prepare(doc, *p);
    } catch (...) {
        try {
            /* Start again from an empty one: only the refusal is kept. */
            delete p;
            p = new fouille_index_prepared;
            p->status = fouille::current_exception_status(&p->error);
        } catch (...) {
            return nullptr;
        }
    }
    return p;
}

FOUILLE_INDEX_API fouille_index_status_t fouille_index_put_prepared(
    fouille_index_t *idx, fouille_index_prepared_t *prep)
{
    return guard(idx, [&] {
        if (!prep)
            fouille::fail(FOUILLE_INDEX_INVALID_ARGUMENT,
                          "no prepared document");
        return fouille::put_prepared(idx, *prep);
    });
}

FOUILLE_INDEX_API void
fouille_index_prepared_free(fouille_index_prepared_t *prep)
{
    delete prep;
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_put(fouille_index_t *idx, const fouille_index_doc_t *doc)
{
    return guard(idx, [&] {
        fouille::need_writer(idx);
        std::unique_ptr<fouille_index_prepared> p(fouille_index_prepare(doc));
        if (!p)
            throw std::bad_alloc();
        return fouille::put_prepared(idx, *p);
    });
}

FOUILLE_INDEX_API fouille_index_status_t fouille_index_put_failure(
    fouille_index_t *idx, const char *path, const char *signature,
    const char *mime, const char *plugin, const char *reason,
    int replace_document)
{
    return guard(idx, [&] {
        return fouille::put_failure(idx, path, signature, mime, plugin, reason,
                                    replace_document);
    });
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_set_private(fouille_index_t *idx, const char *path,
                          int private_doc)
{
    return guard(idx, [&] {
        return fouille::set_private(idx, path, private_doc != 0);
    });
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_delete(fouille_index_t *idx, const char *path)
{
    return guard(idx, [&] {
        fouille::need_writer(idx);
        fouille::check_path(path);
        std::string qterm = fouille::id_term(path);
        fouille::drop_old_chunks(idx, fouille::find(idx, qterm));
        idx->wdb.delete_document(qterm);
        return FOUILLE_INDEX_OK;
    });
}

FOUILLE_INDEX_API fouille_index_status_t
fouille_index_commit(fouille_index_t *idx)
{
    return guard(idx, [&] {
        fouille::need_writer(idx);
        idx->wdb.commit();
        return FOUILLE_INDEX_OK;
    });
}

} // extern "C"
