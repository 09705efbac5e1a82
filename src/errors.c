/* errors.c -- see errors.h. The English messages are fouille's own (the
 * search parameters' checks, the HTTP layer's limits): each family is
 * recognised by how its message starts. */
#include "config.h"

#include "errors.h"

#include <string.h>

static const struct {
    const char *starts; /* the English message starts with this */
    const char *code;
    const char *message;
} known[] = {
    {"query too long", "query_too_long",
     "La recherche est trop longue : raccourcissez-la."},
    {"query is not valid UTF-8", "query_encoding",
     "La recherche contient des caractères illisibles."},
    {"invalid type filter", "bad_type", "Le type de document demandé est invalide."},
    {"year must be", "bad_year", "L'année doit s'écrire avec quatre chiffres."},
    {"page must be", "bad_page", "Le numéro de page est invalide."},
    {"per_page must be", "bad_per_page",
     "Le nombre de résultats par page est invalide."},
    {"sort must be", "bad_sort",
     "Le tri doit être « relevance » (pertinence), « date:desc » (les plus "
     "récents d'abord) ou « date:asc » (les plus anciens d'abord)."},
    {"invalid folder filter", "bad_folder", "Le dossier demandé est invalide."},
    {"date_from must be", "bad_date",
     "Les dates s'écrivent AAAA, AAAA-MM ou AAAA-MM-JJ."},
    {"date_to must be", "bad_date",
     "Les dates s'écrivent AAAA, AAAA-MM ou AAAA-MM-JJ."},
    {"date_from is after date_to", "bad_date_range",
     "La date de début est postérieure à la date de fin."},
    {"at most", "too_many_values", "Trop de valeurs pour un même filtre."},
    {"unknown parameter", "unknown_parameter",
     "L'adresse de la recherche contient un paramètre inconnu (nommé dans "
     "« error »)."},
    {"strict must be", "bad_strict", "Le paramètre strict doit valoir 0 ou 1."},
    {"prefix must be", "bad_prefix", "Le paramètre prefix doit valoir 0 ou 1."},
    {"group must be", "bad_group", "Le paramètre group doit valoir 0 ou 1."},
    {"malformed query string", "bad_request",
     "L'adresse de la recherche est mal formée."},
    {"the search queue is full", "busy",
     "Le service de recherche est très sollicité : réessayez dans un instant."},
    {"too many connections", "busy",
     "Le service de recherche est très sollicité : réessayez dans un instant."},
};

static const struct {
    int status;
    const char *code;
    const char *message;
} by_status[] = {
    {400, "bad_request", "La demande est invalide."},
    {403, "forbidden", "Ce document n'est pas accessible."},
    {404, "not_found", "Introuvable."},
    {405, "method_not_allowed", "Méthode non autorisée."},
    {408, "timeout", "La demande a pris trop de temps."},
    {413, "too_large", "La demande est trop volumineuse."},
    {414, "uri_too_long", "L'adresse demandée est trop longue."},
    {431, "headers_too_large", "Les en-têtes de la demande sont trop volumineux."},
    {503, "unavailable",
     "Le service de recherche est indisponible : réessayez dans un instant."},
    {505, "http_version", "Version du protocole HTTP non prise en charge."},
};

void fouille__error_describe(int status, const char *msg, const char **code,
                             const char **message)
{
    for (size_t i = 0; msg && i < sizeof known / sizeof known[0]; i++)
        if (strncmp(msg, known[i].starts, strlen(known[i].starts)) == 0) {
            *code = known[i].code;
            *message = known[i].message;
            return;
        }
    for (size_t i = 0; i < sizeof by_status / sizeof by_status[0]; i++)
        if (by_status[i].status == status) {
            *code = by_status[i].code;
            *message = by_status[i].message;
            return;
        }
    *code = status >= 500 ? "internal_error" : "error";
    *message = "La recherche a échoué : réessayez plus tard.";
}
