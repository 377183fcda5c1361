/* Build tool: turns a data file into a C source defining `const char NAME[]` and
 * `const size_t NAME_len`, so the binary carries its reference data (holiday calendar, demo city). */
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: embed INPUT OUTPUT.c NAME\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "w");
	if (!in || !out) {
		perror("embed");
		return 1;
	}
	fprintf(out, "#include <stddef.h>\nconst char %s[] = {\n", argv[3]);
	size_t n = 0;
	int c;
	while ((c = fgetc(in)) != EOF)
		fprintf(out, "%d,%s", c, ++n % 32 ? "" : "\n");
	fprintf(out, "0};\nconst size_t %s_len = %zu;\n", argv[3], n);
	return fclose(out) != 0;
}
