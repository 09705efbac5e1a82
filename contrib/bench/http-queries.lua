-- http-queries.lua -- wrk script: rotate over realistic French queries,
-- each connection starting at a different one; count non-200 answers.
local queries = {
  "foncier", "mobilité", "marchés publics", "coconstruction", "SCIC",
  "économie circulaire", "alimentation durable", "emploi", "collectivités",
  "transition énergétique", "insertion", "foncière solidaire",
  "\"politiques publiques\"", "agriculture urbaine", "tiers-lieux",
  "apt-get", "paquet debian", "réseau", "fonc*", "monnaie locale",
}
local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c)) end))
end
local paths = {}
for i, q in ipairs(queries) do paths[i] = "/search?per_page=10&q=" .. encode(q) end
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", paths[(n + id * 7) % #paths + 1])
end
local bad = 0
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n",
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
