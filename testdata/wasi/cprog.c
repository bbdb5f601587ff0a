// cprog exercises wasi-libc over WASI preview1: arguments, environment,
// stdin, stdout, stderr, files and directories in the preopened
// directory /data, and the exit status.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
	return strcmp(*(const char **)a, *(const char **)b);
}

int main(int argc, char **argv) {
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
	const char *greeting = getenv("GREETING");
	printf("GREETING=%s\n", greeting ? greeting : "(unset)");

	char line[256];
	int lines = 0;
	long sum = 0;
	while (fgets(line, sizeof line, stdin)) {
		lines++;
		sum += strtol(line, NULL, 10);
	}
	printf("stdin: %d lines, sum %ld\n", lines, sum);

	FILE *f = fopen("/data/out.txt", "w");
	if (!f) { perror("fopen out.txt"); return 2; }
	for (int i = 0; i < 5; i++) fprintf(f, "line %d\n", i);
	fclose(f);

	f = fopen("/data/out.txt", "r");
	if (!f) { perror("reopen"); return 2; }
	int n = 0;
	while (fgets(line, sizeof line, f)) n++;
	fclose(f);
	printf("out.txt has %d lines\n", n);

	if (mkdir("/data/sub", 0755) != 0) { perror("mkdir"); return 2; }
	if (rename("/data/out.txt", "/data/sub/moved.txt") != 0) { perror("rename"); return 2; }
	struct stat st;
	if (stat("/data/sub/moved.txt", &st) != 0) { perror("stat"); return 2; }
	printf("moved.txt size %lld\n", (long long)st.st_size);

	DIR *d = opendir("/data");
	if (!d) { perror("opendir"); return 2; }
	const char *names[64];
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d)) && count < 64) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[count++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof names[0], cmp);
	for (int i = 0; i < count; i++) printf("entry %s\n", names[i]);

	// The sandbox: none of these may reach the host.
	FILE *esc = fopen("/data/../../etc/passwd", "r");
	printf("escape via ..: %s\n", esc ? "OPENED" : "refused");
	esc = fopen("/etc/passwd", "r");
	printf("absolute outside preopen: %s\n", esc ? "OPENED" : "refused");

	fprintf(stderr, "done, exiting with 7\n");
	return 7;
}
