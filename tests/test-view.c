/* test-view.c -- the private globs (src/view.h): which relative paths they
 * mark private, and which globs are refused. */
#include "config.h"

#include "tap.h"
#include "view.h"

static const struct {
    const char *globs, *path;
    int want;
} cases[] = {
    {"internes/**", "internes/note.txt", 1},
    {"internes/**", "internes/2019/a/b/note.txt", 1},
    {"internes/**", "internes.txt", 0},
    {"internes/**", "rapports/internes/x.txt", 0},
    {"internes/", "rapports/internes/x.txt", 1},
    {"internes", "internes/x.txt", 1},
    {"internes", "internes-publiques/x.txt", 0},
    {"rh/**, internes/**", "rh/paie.pdf", 1},
    {"*.brouillon.md", "guides/2020/x.brouillon.md", 1},
    {"*.brouillon.md", "guides/2020/x.md", 0},
    {"rapports/**/brouillon-*.md", "rapports/brouillon-a.md", 1},
    {"rapports/**/brouillon-*.md", "rapports/2018/v/brouillon-a.md", 1},
    {"rapports/**/brouillon-*.md", "rapports/2018/final-a.md", 0},
    {"rapports/*/x.pdf", "rapports/2018/x.pdf", 1},
    {"rapports/*/x.pdf", "rapports/2018/y/x.pdf", 0},
    {"rapports/2018", "rapports/2018/x.pdf", 1},
    {"rapports/2018", "rapports/2019/x.pdf", 0},
    {"", "internes/x.txt", 0},
};

int main(void)
{
    size_t n = sizeof cases / sizeof cases[0];
    tap_plan((int)n + 4);
    for (size_t i = 0; i < n; i++) {
        struct fouille__view v;
        char err[256];
        int rc = fouille__view_init(&v, cases[i].globs, err, sizeof err);
        tap_ok(rc == 0 &&
                   fouille__view_private(&v, cases[i].path) == cases[i].want,
               "'%s' %s %s", cases[i].globs,
               cases[i].want ? "covers" : "does not cover", cases[i].path);
        fouille__view_free(&v);
    }
    const char *bad[] = {"/etc/**", "../x/**", "a/../b", "a/.."};
    for (size_t i = 0; i < 4; i++) {
        struct fouille__view v;
        char err[256] = "";
        tap_ok(fouille__view_init(&v, bad[i], err, sizeof err) < 0 &&
                   strstr(err, "relative") != NULL,
               "'%s' is refused: %s", bad[i], err);
    }
    return tap_failed_ != 0;
}
