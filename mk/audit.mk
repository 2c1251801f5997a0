# Claims audit: one notebook checks every claim in the ledger against both papers' values and the
# MOFCOM releases; it writes the executed notebook and reports/claims_audit.csv together.

# A notebook's parameters are written in this file, so editing it reruns this part's notebooks.
THIS_MK := $(lastword $(MAKEFILE_LIST))

$(NB)/audit_claims.ipynb reports/claims_audit.csv &: notebooks/audit_claims.py $(CLAIMS_LEDGER) $(PAPER_A) $(PAPER_B) $(MOFCOM) $(NB_CODE) $(THIS_MK) $(SETUP)
	$(RUN) $< $(NB)/audit_claims.ipynb -p paper_a $(PAPER_A) -p paper_b $(PAPER_B) -p mofcom $(MOFCOM) \
		-p ledger $(CLAIMS_LEDGER) -p output reports/claims_audit.csv
NOTEBOOKS += $(NB)/audit_claims.ipynb
