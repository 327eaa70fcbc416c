# TAP output for the host suites written in shell; sourced.
# report STATUS NAME: "ok N - NAME" when STATUS is 0, else "not ok".
n=0
report() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
	fi
}
