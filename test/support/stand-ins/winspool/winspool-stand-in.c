/*
 * A stand-in for winspool.drv's raw printing calls, with the same names and signatures as
 * Microsoft documents them (OpenPrinterW, StartDocPrinterW with DOC_INFO_1W, StartPagePrinter,
 * WritePrinter, EndPagePrinter, EndDocPrinter, ClosePrinter). BOOL is int, DWORD is uint32_t and
 * strings are UTF-16 as on Windows. It knows one printer by name, keeps every call in order and
 * the bytes of the last document, and can be told to fail a call with a Win32 error code, to
 * report a printer status (GetPrinterW level 6), or to stall a call until released (a printer
 * on a dead share: the call blocks in the spooler's RPC).
 *
 * A failing call sets the thread's last error as winspool does with SetLastError. Off Windows
 * the thread's last-error slot is errno: koffi hands it to the async call's callback as it hands
 * GetLastError's value on Windows, so the adapter reads it the same way on both.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static char fail_call[32] = "";
static uint32_t fail_error = 0;
static int fail_times = 0;
static uint32_t printer_status = 0;
/* Shared with the test's thread while a call sleeps on one of koffi's worker threads. */
static char stall_call[32] = "";
static int stall_release = 0; /* 0: stall, 1: release with success, 2: release with failure */
static int stalled = 0;
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

static void set_last_error(uint32_t code) { errno = (int)code; }

/* The next call named `call` fails with `fail_error` (while fail_times lasts). */
static int told_to_fail(const char *call) {
  if (fail_times <= 0 || strcmp(call, fail_call) != 0) return 0;
  fail_times--;
  set_last_error(fail_error);
  return 1;
}

/* Blocks a call the tests named until they release it (at most 30 s, so a test cannot hang). */
static int stall_if_told(const char *call) {
  int waited_ms = 0, release;
  if (strcmp(call, stall_call) != 0) return 1;
  stall_call[0] = 0;
  __atomic_store_n(&stalled, 1, __ATOMIC_SEQ_CST);
  while ((release = __atomic_load_n(&stall_release, __ATOMIC_SEQ_CST)) == 0 && waited_ms < 30000) {
    usleep(1000);
    waited_ms++;
  }
  __atomic_store_n(&stall_release, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&stalled, 0, __ATOMIC_SEQ_CST);
  if (release == 1) return 1;
  set_last_error(1722); /* RPC_S_SERVER_UNAVAILABLE: how a call to a print server that went away ends */
  return 0;
}

#define ERROR_INVALID_HANDLE 6
#define ERROR_INVALID_PRINTER_NAME 1801

int OpenPrinterW(const wchar16 *name, void **handle, void *defaults) {
  char n[256], line[300];
  narrow(name, n, sizeof n);
  snprintf(line, sizeof line, "OpenPrinterW %s%s", n, defaults ? " defaults" : "");
  record(line);
  if (told_to_fail("OpenPrinterW")) return 0;
  if (strcmp(n, known) != 0) { set_last_error(ERROR_INVALID_PRINTER_NAME); return 0; }
  *handle = &handle_value;
  open_handles++;
  return 1;
}

uint32_t StartDocPrinterW(void *h, uint32_t level, DOC_INFO_1W *info) {
  char name[128], type[32], line[300];
  if (!is_ours(h) || level != 1 || !info) { record("StartDocPrinterW bad"); set_last_error(ERROR_INVALID_HANDLE); return 0; }
  narrow(info->pDocName, name, sizeof name);
  narrow(info->pDatatype, type, sizeof type);
  snprintf(line, sizeof line, "StartDocPrinterW %u %s %s%s", level, name, type, info->pOutputFile ? " file" : "");
  record(line);
  if (told_to_fail("StartDocPrinterW")) return 0;
  doc_len = 0;
  return 7; /* the job id */
}

int StartPagePrinter(void *h) { record("StartPagePrinter"); return is_ours(h); }

int WritePrinter(void *h, const void *buf, uint32_t size, uint32_t *written) {
  char line[64];
  snprintf(line, sizeof line, "WritePrinter %u", size);
  record(line);
  *written = 0;
  if (!is_ours(h)) { set_last_error(ERROR_INVALID_HANDLE); return 0; }
  if (told_to_fail("WritePrinter") || !stall_if_told("WritePrinter")) return 0;
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
int EndDocPrinter(void *h) {
  record("EndDocPrinter");
  if (!is_ours(h)) { set_last_error(ERROR_INVALID_HANDLE); return 0; }
  return stall_if_told("EndDocPrinter");
}

/* Level 6 only (PRINTER_INFO_6: one DWORD, the printer's PRINTER_STATUS_* flags). */
int GetPrinterW(void *h, uint32_t level, uint8_t *info, uint32_t size, uint32_t *needed) {
  char line[64];
  snprintf(line, sizeof line, "GetPrinterW %u", level);
  record(line);
  if (!is_ours(h)) { set_last_error(ERROR_INVALID_HANDLE); return 0; }
  if (level != 6) { set_last_error(124); return 0; } /* ERROR_INVALID_LEVEL */
  *needed = sizeof(uint32_t);
  if (!info || size < sizeof(uint32_t)) { set_last_error(122); return 0; } /* ERROR_INSUFFICIENT_BUFFER */
  memcpy(info, &printer_status, sizeof printer_status);
  return 1;
}

int ClosePrinter(void *h) {
  record("ClosePrinter");
  if (!is_ours(h)) return 0;
  open_handles--;
  return 1;
}

/* The tests' hands on the stand-in. */
void StandIn_Install(const char *name) {
  snprintf(known, sizeof known, "%s", name);
  calls_len = 0;
  calls[0] = 0;
  doc_len = 0;
  fail_times = 0;
  printer_status = 0;
  stall_call[0] = 0;
}
void StandIn_Fail(const char *call, uint32_t error, int times) {
  snprintf(fail_call, sizeof fail_call, "%s", call);
  fail_error = error;
  fail_times = times;
}
void StandIn_SetStatus(uint32_t status) { printer_status = status; }
void StandIn_Stall(const char *call) { __atomic_store_n(&stall_release, 0, __ATOMIC_SEQ_CST); snprintf(stall_call, sizeof stall_call, "%s", call); }
int StandIn_Stalled(void) { return __atomic_load_n(&stalled, __ATOMIC_SEQ_CST); }
void StandIn_Release(int ok) { __atomic_store_n(&stall_release, ok ? 1 : 2, __ATOMIC_SEQ_CST); }
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
