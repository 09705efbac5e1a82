/* status.cc -- the status table and the exception-to-status mapping. */
#include "status.h"

#include <xapian.h>

#include <cstring>
#include <new>

FOUILLE_INDEX_API const char *
fouille_index_status_str(fouille_index_status_t st)
{
    switch (st) {
#define FOUILLE_INDEX_STATUS_STR_(name, msg)                                   \
    case FOUILLE_INDEX_##name: return msg;
        FOUILLE_INDEX_STATUS_MAP(FOUILLE_INDEX_STATUS_STR_)
#undef FOUILLE_INDEX_STATUS_STR_
    default: return "unknown status";
    }
}

namespace fouille
{

/* "DatabaseLockError: Unable to get write lock on ...: already locked". */
std::string describe(const Xapian::Error &e)
{
    std::string s = e.get_type();
    s += ": ";
    s += e.get_msg();
    if (!e.get_context().empty()) {
        s += " (";
        s += e.get_context();
        s += ")";
    }
    const char *err = e.get_error_string();
    if (err && *err) {
        s += ": ";
        s += err;
    }
    return s;
}

namespace
{

fouille_index_status_t keep(std::string *out, fouille_index_status_t st,
                            const std::string &msg) noexcept
{
    if (out) {
        try {
            *out = msg;
        } catch (...) {
            out->clear();
        }
    }
    return st;
}

} // namespace

fouille_index_status_t current_exception_status(std::string *msg) noexcept
{
    try {
        try {
            throw;
        } catch (const Failure &e) {
            return keep(msg, e.status, e.message);
        } catch (const Xapian::DatabaseModifiedError &e) {
            return keep(msg, FOUILLE_INDEX_MODIFIED, describe(e));
        } catch (const Xapian::DatabaseLockError &e) {
            return keep(msg, FOUILLE_INDEX_LOCKED, describe(e));
        } catch (const Xapian::DatabaseCorruptError &e) {
            return keep(msg, FOUILLE_INDEX_CORRUPT, describe(e));
        } catch (const Xapian::DatabaseVersionError &e) {
            return keep(msg, FOUILLE_INDEX_VERSION, describe(e));
        } catch (const Xapian::DatabaseNotFoundError &e) {
            return keep(msg, FOUILLE_INDEX_NOT_FOUND, describe(e));
        } catch (const Xapian::DatabaseOpeningError &e) {
            /* With an errno (permissions, I/O) it is an I/O error; without
             * one, what is there is not an index (e.g. a plain file). */
            const char *err = e.get_error_string();
            return keep(
                msg, err && *err ? FOUILLE_INDEX_IO : FOUILLE_INDEX_NOT_FOUND,
                describe(e));
        } catch (const Xapian::DatabaseClosedError &e) {
            return keep(msg, FOUILLE_INDEX_ERROR, describe(e));
        } catch (const Xapian::DatabaseError &e) {
            /* Create errors, write errors (disk full), short reads. */
            return keep(msg, FOUILLE_INDEX_IO, describe(e));
        } catch (const Xapian::QueryParserError &e) {
            return keep(msg, FOUILLE_INDEX_BAD_QUERY,
                        std::string("the query could not be understood: ") +
                            e.get_msg());
        } catch (const Xapian::WildcardError &e) {
            return keep(msg, FOUILLE_INDEX_BAD_QUERY,
                        std::string("the wildcard matches too many words: ") +
                            e.get_msg());
        } catch (const Xapian::NetworkError &e) {
            /* NetworkTimeoutError included. */
            return keep(msg, FOUILLE_INDEX_NETWORK, describe(e));
        } catch (const Xapian::InvalidArgumentError &e) {
            return keep(msg, FOUILLE_INDEX_INVALID_ARGUMENT, describe(e));
        } catch (const Xapian::Error &e) {
            return keep(msg, FOUILLE_INDEX_ERROR, describe(e));
        } catch (const std::bad_alloc &) {
            return keep(msg, FOUILLE_INDEX_NO_MEMORY, "out of memory");
        } catch (const std::exception &e) {
            return keep(msg, FOUILLE_INDEX_ERROR, e.what());
        } catch (...) {
            return keep(msg, FOUILLE_INDEX_ERROR, "unknown exception");
        }
    } catch (...) {
        /* Only reached if building a message threw. */
        return FOUILLE_INDEX_ERROR;
    }
}

void copy_message(const std::string &msg, char *buf, size_t len) noexcept
{
    if (!buf || len == 0)
        return;
    size_t n = msg.size() < len - 1 ? msg.size() : len - 1;
    /* Do not cut a UTF-8 sequence. */
    if (n < msg.size())
        while (n > 0 && (static_cast<unsigned char>(msg[n]) & 0xC0) == 0x80)
            n--;
    std::memcpy(buf, msg.data(), n);
    buf[n] = '\0';
}

} // namespace fouille
