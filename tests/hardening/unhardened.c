/*
 * Control for the build.hardening test: the same kind of calls the server
 * makes (a fixed buffer, memcpy, snprintf), linked with every protection
 * turned off (tests/CMakeLists.txt), so the checker must report each one
 * missing.  Never run, only inspected.
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	char buf[16];

	(void)snprintf(buf, sizeof(buf), "%s", argv[0]);
	memcpy(buf, argv[0], (size_t)argc);
	return buf[0];
}
