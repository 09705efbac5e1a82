# Tests of the extractor plugins (plugins/).
