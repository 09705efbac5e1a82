/* handle.h -- the index handle behind the opaque fouille_index_t
 * (internal). */
#ifndef FOUILLE_INDEX_HANDLE_H
#define FOUILLE_INDEX_HANDLE_H

#include "analyzer.h"
#include "fouille-index.h"
#include "memo.h"
#include "shards.h"
#include "snippet.h"

#include <xapian.h>

#include <memory>
#include <string>

struct fouille_index {
    explicit fouille_index(fouille_index_mode_t m) : mode(m) {}

    fouille_index_mode_t mode;
    std::string path;             /* as opened */
    /* The database to read: in write mode, the writer itself (a copy of
     * the handle shares its state, uncommitted changes included). */
    Xapian::Database db;
    Xapian::WritableDatabase wdb; /* write mode only */
    /* Read mode on a stub database: its shards, of which db is made. */
    std::unique_ptr<fouille::ShardSet> shards;
    std::string error;            /* message of the last failed call */
    fouille::Analyzer analyzer;
    fouille::ReadMemo memo;       /* see memo.h */
    fouille::SnippetWords snippet_words; /* see snippet.h */

    /* Before a search: what the memo knows is of the revision open. */
    void check_memo()
    {
        memo.check(db, mode == FOUILLE_INDEX_READ && !shards);
    }
};

#endif
