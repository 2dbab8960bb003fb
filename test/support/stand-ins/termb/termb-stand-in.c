/*
 * A stand-in for a 华视 CVR-100 family termb.dll, built by the tests with
 *   gcc -shared -fPIC -o libtermb-stand-in.so termb-stand-in.c
 * It exports the vendor's functions with the vendor's signatures and return codes (termb SDK
 * manual: CVR_InitComm 1 ok / 2 port open failed / -1 unknown / -2 library load failed;
 * CVR_Authenticate 1 ok / 2 find card failed / 3 select card failed / 4 no reader / 0 library;
 * CVR_Read_Content 1 ok / 0 read failed / 4 no reader / 99 exception), plus StandIn_* functions
 * the tests use to play the device: place and lift a card, misread, unplug and replug the reader.
 *
 * Like the real library it writes the card's text and photo files (wz.txt, zp.bmp) next to
 * itself on every read, so the tests can check the adapter removes them.
 *
 * The adapter calls through koffi's worker threads while the test drives the device from the
 * main thread: every piece of state is behind one mutex.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define MAX_TEXT 64
#define LOG_SIZE 8192

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int reader_port = 1001;  /* where the reader answers; 0 = nowhere */
static int plugged = 1;
static int open_port = 0;       /* the port CVR_InitComm opened, 0 = closed */
static int card_present = 0;
static int card_selected = 0;   /* authenticated since placed, so Read_Content may run */
static int misreads_left = 0;
static int content_read = 0;    /* Read_Content succeeded since the last Authenticate */
static char id_number[MAX_TEXT] = "";
static char name_gb[MAX_TEXT] = "";
static char call_log[LOG_SIZE] = "";

static void log_call(const char *call) {
  size_t used = strlen(call_log);
  if (used + strlen(call) + 2 < LOG_SIZE) {
    strcat(call_log, call);
    strcat(call_log, "\n");
  }
}

static void own_folder(char *out, size_t size) {
  Dl_info info;
  char path[1024];
  out[0] = '\0';
  if (!dladdr((void *)&own_folder, &info) || !info.dli_fname) return;
  snprintf(path, sizeof path, "%s", info.dli_fname);
  snprintf(out, size, "%s", dirname(path));
}

static void write_scratch_files(void) {
  char folder[1024], path[1100];
  FILE *f;
  own_folder(folder, sizeof folder);
  if (!folder[0]) return;
  snprintf(path, sizeof path, "%s/wz.txt", folder);
  if ((f = fopen(path, "wb"))) {
    fprintf(f, "%s|%s", name_gb, id_number);
    fclose(f);
  }
  snprintf(path, sizeof path, "%s/zp.bmp", folder);
  if ((f = fopen(path, "wb"))) {
    fputs("BM-stand-in-photo", f);
    fclose(f);
  }
}

/* ---- the vendor API ---- */

int CVR_InitComm(int port) {
  char entry[32];
  int result;
  pthread_mutex_lock(&lock);
  snprintf(entry, sizeof entry, "CVR_InitComm %d", port);
  log_call(entry);
  if (plugged && port == reader_port) {
    open_port = port;
    result = 1;
  } else {
    result = 2;
  }
  pthread_mutex_unlock(&lock);
  return result;
}

int CVR_CloseComm(void) {
  int result;
  pthread_mutex_lock(&lock);
  log_call("CVR_CloseComm");
  result = open_port ? 1 : -1;
  open_port = 0;
  pthread_mutex_unlock(&lock);
  return result;
}

int CVR_Authenticate(void) {
  int result;
  pthread_mutex_lock(&lock);
  log_call("CVR_Authenticate");
  content_read = 0;
  if (!open_port || !plugged) result = 4;
  else if (!card_present) result = 2;
  else {
    card_selected = 1;
    result = 1;
  }
  pthread_mutex_unlock(&lock);
  return result;
}

int CVR_Read_Content(int active) {
  char entry[32];
  int result;
  pthread_mutex_lock(&lock);
  snprintf(entry, sizeof entry, "CVR_Read_Content %d", active);
  log_call(entry);
  if (!open_port || !plugged) result = 4;
  else if (!card_present || !card_selected) result = 0;
  else if (misreads_left > 0) {
    misreads_left--;
    result = 0;
  } else {
    content_read = 1;
    write_scratch_files();
    result = 1;
  }
  pthread_mutex_unlock(&lock);
  return result;
}

static int copy_out(const char *name, const char *value, unsigned char *buffer, int *length) {
  int result = 0;
  int n = (int)strlen(value);
  pthread_mutex_lock(&lock);
  log_call(name);
  if (content_read && buffer && length && *length > n) {
    memcpy(buffer, value, (size_t)n);
    buffer[n] = '\0';
    *length = n;
    result = 1;
  }
  pthread_mutex_unlock(&lock);
  return result;
}

int GetPeopleIDCode(unsigned char *buffer, int *length) { return copy_out("GetPeopleIDCode", id_number, buffer, length); }
int GetPeopleName(unsigned char *buffer, int *length) { return copy_out("GetPeopleName", name_gb, buffer, length); }
int GetPeopleBirthday(unsigned char *buffer, int *length) { return copy_out("GetPeopleBirthday", "19491231", buffer, length); }
int GetPeopleAddress(unsigned char *buffer, int *length) { return copy_out("GetPeopleAddress", "stand-in address", buffer, length); }
int GetBMPData(unsigned char *buffer, int *length) { return copy_out("GetBMPData", "BM-stand-in-photo", buffer, length); }

/* ---- the tests' hands on the device ---- */

void StandIn_Reset(int port) {
  pthread_mutex_lock(&lock);
  reader_port = port;
  plugged = 1;
  open_port = 0;
  card_present = card_selected = content_read = misreads_left = 0;
  id_number[0] = name_gb[0] = call_log[0] = '\0';
  pthread_mutex_unlock(&lock);
}

void StandIn_PlaceCard(const char *id, const char *name) {
  pthread_mutex_lock(&lock);
  snprintf(id_number, sizeof id_number, "%s", id);
  snprintf(name_gb, sizeof name_gb, "%s", name);
  card_present = 1;
  card_selected = 0;
  pthread_mutex_unlock(&lock);
}

void StandIn_LiftCard(void) {
  pthread_mutex_lock(&lock);
  card_present = card_selected = content_read = 0;
  pthread_mutex_unlock(&lock);
}

void StandIn_Misread(int times) {
  pthread_mutex_lock(&lock);
  misreads_left = times;
  pthread_mutex_unlock(&lock);
}

void StandIn_Unplug(void) {
  pthread_mutex_lock(&lock);
  plugged = 0;
  open_port = 0;
  pthread_mutex_unlock(&lock);
}

void StandIn_Replug(void) {
  pthread_mutex_lock(&lock);
  plugged = 1;
  pthread_mutex_unlock(&lock);
}

/* Copies the calls made so far (one per line) and clears the log. */
int StandIn_TakeCalls(char *out, int size) {
  int n;
  pthread_mutex_lock(&lock);
  n = snprintf(out, (size_t)size, "%s", call_log);
  call_log[0] = '\0';
  pthread_mutex_unlock(&lock);
  return n;
}
