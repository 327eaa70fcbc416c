/* CPU feature detection through CPUID, done once at boot. */
#include "core/kernel.h"
#include "arch/x86_64/cpu.h"

struct cpu_features cpu_features;

void
cpu_detect(void)
{
	uint32_t a, b, c, d, max, max_ext;

	cpuid(0, 0, &max, &b, &c, &d);
	memcpy(cpu_features.vendor, &b, 4);
	memcpy(cpu_features.vendor + 4, &d, 4);
	memcpy(cpu_features.vendor + 8, &c, 4);
	cpu_features.vendor[12] = '\0';

	cpuid(1, 0, &a, &b, &c, &d);
	cpu_features.apic = d & (1u << 9);
	cpu_features.pge = d & (1u << 13);
	cpu_features.x2apic = c & (1u << 21);
	cpu_features.tsc_deadline = c & (1u << 24);
	cpu_features.rdrand = c & (1u << 30);
	if (max >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		cpu_features.smep = b & (1u << 7);
		cpu_features.smap = b & (1u << 20);
		cpu_features.rdseed = b & (1u << 18);
	}
	cpuid(0x80000000, 0, &max_ext, &b, &c, &d);
	if (max_ext >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		cpu_features.nx = d & (1u << 20);
		cpu_features.pdpe1gb = d & (1u << 26);
	}
	if (max_ext >= 0x80000007) {
		cpuid(0x80000007, 0, &a, &b, &c, &d);
		cpu_features.invariant_tsc = d & (1u << 8);
	}
}
