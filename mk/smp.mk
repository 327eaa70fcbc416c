# The multi-CPU test matrix (docs/testing.md, "The SMP matrix").
#
#   suite smp        boots the SMP stress manifest (smpstress) at -smp 1,
#                    2 and 4 (tests/boot/smp.sh); part of `make test`
#   make test-smp    the whole `make test` with CAPOS_SMP=2, then 4 (every
#                    QEMU boot takes its CPU count from CAPOS_SMP,
#                    scripts/qemu.sh); the results of each stay in
#                    $(BUILD)/results-smpN
#   make stress-smp  STRESS_BOOTS boots of the long stress program at
#                    -smp STRESS_CPUS, stopping at the first failure
#
# The image is named by path: mk/image.mk, which defines $(ISO), is read
# after this file.

STRESS_BOOTS ?= 20
STRESS_CPUS ?= 4

SUITES += smp
.PHONY: suite-smp test-smp stress-smp

suite-smp: $(BUILD)/capos.iso
	@$(RUN_SUITE) smp bash tests/boot/smp.sh $(BUILD)/capos.iso \
		$(BUILD)/smp-test

# Each pass runs every suite even when the first fails; the summary line
# of each pass is repeated at the end.
test-smp:
	@status=0; start=$$(date +%s); \
	for cpus in 2 4; do \
		echo "== make test with CAPOS_SMP=$$cpus"; \
		t0=$$(date +%s); \
		CAPOS_SMP=$$cpus $(MAKE) --no-print-directory test \
			>$(BUILD)/test-smp$$cpus.log 2>&1 || status=1; \
		rm -rf $(BUILD)/results-smp$$cpus; \
		cp -r $(RESULTS) $(BUILD)/results-smp$$cpus; \
		grep -E '^ *(not ok|== suite .* FAILED)' $(BUILD)/test-smp$$cpus.log; \
		echo "   CAPOS_SMP=$$cpus: $$(tail -n 1 $(BUILD)/test-smp$$cpus.log)" \
			"in $$(($$(date +%s) - t0)) s (log $(BUILD)/test-smp$$cpus.log)"; \
	done; \
	echo "test-smp: $$(($$(date +%s) - start)) s"; \
	exit $$status

stress-smp: $(BUILD)/capos.iso
	@bash tests/boot/smp.sh --stress $(BUILD)/capos.iso \
		$(BUILD)/stress-smp $(STRESS_BOOTS) $(STRESS_CPUS)
