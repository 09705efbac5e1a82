/* group.h -- one hit per publication (internal).
 *
 * The same publication is often in a folder in several formats (a report
 * as PDF, HTML and Markdown). Documents whose normalised titles are equal
 * (the file name without its extension when there is no title) and whose
 * texts are near-identical share a group key, the boolean term XC<key>.
 * A search collapses on SLOT_GROUP (Xapian's collapse key), which holds
 * the key only for groups of two documents or more: most publications
 * have one format, and an absent value costs the matcher almost nothing.
 * A page shows each publication once and lists the other formats
 * (XC<key>) as variants.
 *
 * Near-identical: the 64-bit simhash of the text's distinct words (of
 * three letters or more, digits excepted: page numbers and running heads
 * differ from one format to another) differs in at most
 * SIMHASH_MAX_DISTANCE bits. The key of a new group is made of the title
 * and of the simhash of its first document, so a document that changes
 * away from its group gets a group of its own. */
#ifndef FOUILLE_INDEX_GROUP_H
#define FOUILLE_INDEX_GROUP_H

#include <xapian.h>

#include <cstdint>
#include <string>
#include <unordered_set>

namespace fouille
{

/* The words of a text, for its simhash: a bounded set of word hashes. */
class WordSet
{
  public:
    void add(const std::string &plain);
    uint64_t simhash() const;

  private:
    std::unordered_set<uint64_t> hashes_;
};

/* Give doc (about to replace document replacing, or 0) its group: the
 * group of a document of the same title with a near-identical text, or a
 * new one. title is the normalised title (see above). */
void assign_group(Xapian::WritableDatabase &db, Xapian::Document &doc,
                  Xapian::docid replacing, const std::string &title,
                  uint64_t simhash);

/* The boolean term listing the documents of group key. */
std::string group_term(const std::string &key);

} // namespace fouille

#endif
