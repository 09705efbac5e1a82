/* status.h -- turning C++ exceptions into fouille_index_status_t (internal).
 *
 * Every exported function runs its body through guard(), which catches
 * everything and maps it (status.cc) to a status, keeping the message in
 * the handle for fouille_index_last_error(). Errors found by the shim
 * itself are thrown as fouille::Failure, so there is one error path. */
#ifndef FOUILLE_INDEX_STATUS_H
#define FOUILLE_INDEX_STATUS_H

#include "fouille-index.h"
#include "handle.h"

#include <exception>
#include <string>

namespace fouille
{

class Failure : public std::exception
{
  public:
    Failure(fouille_index_status_t st, std::string msg)
        : status(st), message(std::move(msg))
    {
    }
    const char *what() const noexcept override { return message.c_str(); }
    fouille_index_status_t status;
    std::string message;
};

[[noreturn]] inline void fail(fouille_index_status_t st, std::string msg)
{
    throw Failure(st, std::move(msg));
}

/* Map the exception being handled (call only inside a catch block) to a
 * status; store its message into *msg when msg is not NULL. Never throws. */
fouille_index_status_t current_exception_status(std::string *msg) noexcept;

/* "NetworkError: Couldn't connect (remote:tcp(host:7001)): Connection
 * refused": type, message, context and system error of e. */
std::string describe(const Xapian::Error &e);

/* Copy msg into a caller's buffer (NUL-terminated, truncated). */
void copy_message(const std::string &msg, char *buf, size_t len) noexcept;

/* Run f() (which returns a status) and turn anything it throws into a
 * status, remembered in idx->error. */
template <class F>
fouille_index_status_t guard(fouille_index_t *idx, F &&f) noexcept
{
    try {
        return f();
    } catch (...) {
        return current_exception_status(idx ? &idx->error : nullptr);
    }
}

} // namespace fouille

#endif
