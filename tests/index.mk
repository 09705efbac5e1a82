# Tests of the index shim (index/).
