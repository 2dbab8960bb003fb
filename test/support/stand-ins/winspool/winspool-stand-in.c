/*
 * A stand-in for winspool.drv's raw printing calls, with the same names and signatures as
 * Microsoft documents them (OpenPrinterW, StartDocPrinterW with DOC_INFO_1W, StartPagePrinter,
 * WritePrinter, EndPagePrinter, EndDocPrinter, ClosePrinter). BOOL is int, DWORD is uint32_t and
 * strings are UTF-16 as on Windows. It knows one printer by name, keeps every call in order and
 * the bytes of the last document, and can be told to fail a write (printer offline).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint16_t wchar16;
typedef struct {
  const wchar16 *pDocName;
  const wchar16 *pOutputFile;
  const wchar16 *pDatatype;
} DOC_INFO_1W;

static char known[256] = "";
static char calls[8192];
static size_t calls_len = 0;
static unsigned char *doc = NULL;
static size_t doc_len = 0, doc_cap = 0;
static int fail_writes = 0;
static int handle_value = 0x51;
static int open_handles = 0;

/* The tests name printers and data types in ASCII: narrow UTF-16 to it for the log. */
static void narrow(const wchar16 *w, char *out, size_t size) {
  size_t i = 0;
  if (!w) { snprintf(out, size, "(null)"); return; }
  for (; w[i] && i + 1 < size; i++) out[i] = w[i] < 128 ? (char)w[i] : '?';
  out[i] = 0;
}

static void record(const char *line) {
  size_t n = strlen(line);
  if (calls_len + n + 2 >= sizeof calls) return;
  memcpy(calls + calls_len, line, n);
  calls_len += n;
  calls[calls_len++] = '\n';
  calls[calls_len] = 0;
}

static int is_ours(void *h) { return h == (void *)&handle_value && open_handles > 0; }

int OpenPrinterW(const wchar16 *name, void **handle, void *defaults) {
  char n[256], line[300];
  narrow(name, n, sizeof n);
  snprintf(line, sizeof line, "OpenPrinterW %s%s", n, defaults ? " defaults" : "");
  record(line);
  if (strcmp(n, known) != 0) return 0;
  *handle = &handle_value;
  open_handles++;
  return 1;
}

uint32_t StartDocPrinterW(void *h, uint32_t level, DOC_INFO_1W *info) {
  char name[128], type[32], line[300];
  if (!is_ours(h) || level != 1 || !info) { record("StartDocPrinterW bad"); return 0; }
  narrow(info->pDocName, name, sizeof name);
  narrow(info->pDatatype, type, sizeof type);
  snprintf(line, sizeof line, "StartDocPrinterW %u %s %s%s", level, name, type, info->pOutputFile ? " file" : "");
  record(line);
  doc_len = 0;
  return 7; /* the job id */
}

int StartPagePrinter(void *h) { record("StartPagePrinter"); return is_ours(h); }

int WritePrinter(void *h, const void *buf, uint32_t size, uint32_t *written) {
  char line[64];
  snprintf(line, sizeof line, "WritePrinter %u", size);
  record(line);
  if (!is_ours(h)) return 0;
  if (fail_writes > 0) { fail_writes--; *written = 0; return 0; }
  if (doc_len + size > doc_cap) {
    doc_cap = (doc_len + size) * 2;
    doc = realloc(doc, doc_cap);
  }
  memcpy(doc + doc_len, buf, size);
  doc_len += size;
  *written = size;
  return 1;
}

int EndPagePrinter(void *h) { record("EndPagePrinter"); return is_ours(h); }
int EndDocPrinter(void *h) { record("EndDocPrinter"); return is_ours(h); }

int ClosePrinter(void *h) {
  record("ClosePrinter");
  if (!is_ours(h)) return 0;
  open_handles--;
  return 1;
}

/* The tests' hands on the stand-in. */
void StandIn_Install(const char *name) { snprintf(known, sizeof known, "%s", name); calls_len = 0; calls[0] = 0; doc_len = 0; fail_writes = 0; }
void StandIn_FailWrites(int times) { fail_writes = times; }
int StandIn_OpenHandles(void) { return open_handles; }
int StandIn_TakeCalls(char *out, int size) {
  int n = (int)calls_len < size - 1 ? (int)calls_len : size - 1;
  memcpy(out, calls, n);
  out[n] = 0;
  calls_len = 0;
  calls[0] = 0;
  return n;
}
int StandIn_DocLength(void) { return (int)doc_len; }
void StandIn_CopyDoc(unsigned char *out, int size) { memcpy(out, doc, (size_t)size < doc_len ? (size_t)size : doc_len); }
