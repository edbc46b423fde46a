/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of config.json errors: broken JSON, wrong types, out of range
 * integers and every semantic check, each with its exact message. The JSON
 * of the cases is written with single quotes, turned into double quotes. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "husk/husk.h"
#include "tap.h"
#include "json.h"

#define HEAD "{'ociVersion':'1.0.0','root':{'path':'rootfs'},"
#define PROC "'process':{'args':['sh'],'cwd':'/'}"
/* a valid config with extra top-level properties */
#define WITH(extra) HEAD PROC "," extra "}"
/* a valid config with these process properties */
#define PROC_WITH(extra) HEAD "'process':{'args':['sh'],'cwd':'/'," extra "}}"
/* a valid config with these linux properties */
#define LINUX(extra) WITH ("'linux':{" extra "}")

static char *
dq (const char *s)
{
  char *t = strdup (s);
  for (char *p = t; p && *p; p++)
    if (*p == '\'')
      *p = '"';
  return t;
}

/* parse (and validate) must fail with exactly want */
static void
fails (const char *json_sq, const char *want)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = NULL;
  char *json = dq (json_sq);
  int ret = husk_spec_parse (json, strlen (json), "config.json", &s, &err);
  if (ret == 0)
    {
      ret = husk_spec_validate (s, "config.json", &err);
      husk_spec_free (s);
    }
  else if (s != NULL)
    printf ("# parse failed but returned a spec\n");
  free (json);
  if (!tap_ok_ (ret == -EINVAL && strcmp (err.msg, want) == 0, __FILE__, __LINE__, want))
    printf ("#   got %d \"%s\"\n", ret, err.msg);
}

static void
passes (const char *json_sq, const char *desc)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = NULL;
  char *json = dq (json_sq);
  int ret = husk_spec_parse (json, strlen (json), "config.json", &s, &err);
  if (ret == 0)
    {
      ret = husk_spec_validate (s, "config.json", &err);
      husk_spec_free (s);
    }
  free (json);
  if (!tap_ok_ (ret == 0, __FILE__, __LINE__, desc))
    printf ("#   got \"%s\"\n", err.msg);
}

/* raw text, not quote-converted */
static void
fails_raw (const char *text, size_t len, const char *want)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = NULL;
  int ret = husk_spec_parse (text, len, "config.json", &s, &err);
  husk_spec_free (s);
  if (!tap_ok_ (ret == -EINVAL && strcmp (err.msg, want) == 0, __FILE__, __LINE__, want))
    printf ("#   got %d \"%s\"\n", ret, err.msg);
}

static void
test_json (void)
{
  const char *broken = "{\n  \"ociVersion\": \"1.0.0\",\n  \"root\": {\"path\": \"rootfs\"},\n"
                       "  \"process\": {\"args\": [\"sh\",]}\n}\n";
  fails_raw (
      broken, strlen (broken),
      "config.json: line 4 column 29: parse error: unallowed token at this point in JSON text");
  const char *lexical = "{\n\t\"ociVersion\": \"1.0.0\",\n\t\"root\": tru\n}";
  fails_raw (lexical, strlen (lexical),
             "config.json: line 3 column 12: parse error: invalid string in json text.");
  const char *truncated = "{\"ociVersion\": \"1.0.0\",\n\"root\": {";
  fails_raw (truncated, strlen (truncated),
             "config.json: line 2 column 9: parse error: premature EOF");
  fails_raw ("", 0, "config.json: line 1 column 1: parse error: premature EOF");
  fails_raw ("{} {}", 5, "config.json: line 1 column 4: parse error: trailing garbage");
  fails_raw ("{\"a\": \"b\0c\"}", 12, "config.json: line 1 column 9: parse error: NUL character");
  fails_raw ("[1, 2]", 6, "config.json: expected a JSON object");
}

static void
test_types (void)
{
  fails (HEAD "'process':{'args':['sh',1],'cwd':'/'}}",
         "config.json: process.args[1]: expected a string");
  fails (LINUX ("'namespaces':{'type':'pid'}"), "config.json: linux.namespaces: expected an array");
  fails (LINUX ("'namespaces':['pid']"), "config.json: linux.namespaces[0]: expected an object");
  fails (HEAD "'process':'sh'}", "config.json: process: expected an object");
  fails ("{'ociVersion':1}", "config.json: ociVersion: expected a string");
  fails (PROC_WITH ("'terminal':'yes'"), "config.json: process.terminal: expected a boolean");
  fails (PROC_WITH ("'user':{'uid':-1}"),
         "config.json: process.user.uid: -1 is out of range (0 to 2147483647)");
  fails (PROC_WITH ("'user':{'uid':4294967296}"),
         "config.json: process.user.uid: 4294967296 is out of range (0 to 2147483647)");
  fails (PROC_WITH ("'user':{'gid':1.5}"), "config.json: process.user.gid: expected an integer");
  fails (PROC_WITH ("'user':{'gid':1e3}"), "config.json: process.user.gid: expected an integer");
  fails (PROC_WITH ("'user':{'additionalGids':[1,'2']}"),
         "config.json: process.user.additionalGids[1]: expected an integer");
  fails (PROC_WITH ("'rlimits':[{'type':'RLIMIT_CORE','soft':18446744073709551616,'hard':1}]"),
         "config.json: process.rlimits[0].soft: 18446744073709551616 is out of range (0 to "
         "18446744073709551615)");
  fails (
      PROC_WITH ("'oomScoreAdj':2147483648"),
      "config.json: process.oomScoreAdj: 2147483648 is out of range (-2147483648 to 2147483647)");
  fails (PROC_WITH ("'capabilities':{'bounding':'CAP_KILL'}"),
         "config.json: process.capabilities.bounding: expected an array");
  fails (WITH ("'annotations':{'a.b':1}"), "config.json: annotations[\"a.b\"]: expected a string");
  fails (WITH ("'annotations':['a']"), "config.json: annotations: expected an object");
  fails (WITH ("'hooks':{'prestart':[{'path':'/bin/true','timeout':'5'}]}"),
         "config.json: hooks.prestart[0].timeout: expected an integer");
  fails (
      WITH (
          "'mounts':[{'destination':'/a','uidMappings':[{'containerID':0,'hostID':-5,'size':1}]}]"),
      "config.json: mounts[0].uidMappings[0].hostID: -5 is out of range (0 to 4294967295)");
  fails (LINUX ("'sysctl':{'kernel.x':1}"),
         "config.json: linux.sysctl[\"kernel.x\"]: expected a string");
  fails (LINUX ("'timeOffsets':{'monotonic':{'secs':'1'}}"),
         "config.json: linux.timeOffsets[\"monotonic\"].secs: expected an integer");
  fails (LINUX ("'netDevices':{'eth0':'eth1'}"),
         "config.json: linux.netDevices[\"eth0\"]: expected an object");
  fails (LINUX ("'resources':{'memory':{'limit':9223372036854775808}}"),
         "config.json: linux.resources.memory.limit: 9223372036854775808 is out of range "
         "(-9223372036854775808 to 9223372036854775807)");
  fails (LINUX ("'resources':{'blockIO':{'weight':65536}}"),
         "config.json: linux.resources.blockIO.weight: 65536 is out of range (0 to 65535)");
  fails (LINUX ("'resources':{'rdma':{'mlx':{'hcaHandles':true}}}"),
         "config.json: linux.resources.rdma[\"mlx\"].hcaHandles: expected an integer");
  fails (LINUX ("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
                "'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':-1,'op':'SCMP_CMP_EQ'}]}]}"),
         "config.json: linux.seccomp.syscalls[0].args[0].value: -1 is out of range (0 to "
         "18446744073709551615)");
  fails (LINUX ("'intelRdt':{'enableMonitoring':1}"),
         "config.json: linux.intelRdt.enableMonitoring: expected a boolean");
  fails (LINUX ("'memoryPolicy':{'mode':'MPOL_BIND','flags':'MPOL_F_STATIC_NODES'}"),
         "config.json: linux.memoryPolicy.flags: expected an array");
  fails (LINUX ("'personality':{'domain':32}"),
         "config.json: linux.personality.domain: expected a string");
}

static void
test_top (void)
{
  fails ("{'root':{'path':'rootfs'}," PROC "}", "config.json: ociVersion: required");
  fails ("{'ociVersion':'2.0.0','root':{'path':'rootfs'}," PROC "}",
         "config.json: ociVersion: unsupported version \"2.0.0\" (husk supports 1.x)");
  fails ("{'ociVersion':'1','root':{'path':'rootfs'}," PROC "}",
         "config.json: ociVersion: unsupported version \"1\" (husk supports 1.x)");
  fails ("{'ociVersion':'1.0.0.0','root':{'path':'rootfs'}," PROC "}",
         "config.json: ociVersion: unsupported version \"1.0.0.0\" (husk supports 1.x)");
  fails ("{'ociVersion':'10.0','root':{'path':'rootfs'}," PROC "}",
         "config.json: ociVersion: unsupported version \"10.0\" (husk supports 1.x)");
  passes ("{'ociVersion':'1.2','root':{'path':'rootfs'}," PROC "}", "ociVersion 1.2");
  passes ("{'ociVersion':'1.0.2-dev','root':{'path':'rootfs'}," PROC "}", "ociVersion 1.0.2-dev");
  passes ("{'ociVersion':'1.1.0+dev','root':{'path':'rootfs'}," PROC "}", "ociVersion 1.1.0+dev");
  fails ("{'ociVersion':'1.0.0'," PROC "}", "config.json: root.path: required");
  fails ("{'ociVersion':'1.0.0','root':{'readonly':true}," PROC "}",
         "config.json: root.path: required");
  passes (HEAD "'linux':{'namespaces':[{'type':'mount'}]}}", "process is optional (config.md)");
  fails (WITH ("'annotations':{'':'x'}"), "config.json: annotations: empty key");
  fails (WITH ("'hostname':'box'"), "config.json: hostname: requires a new uts namespace");
  fails (WITH ("'hostname':'box','linux':{'namespaces':[{'type':'pid'}]}"),
         "config.json: hostname: requires a new uts namespace");
  passes (WITH ("'hostname':'box','linux':{'namespaces':[{'type':'uts'}]}"), "hostname with uts");
  passes (WITH ("'hostname':''"), "an empty hostname needs no uts namespace");
  fails (WITH ("'domainname':'example.org'"),
         "config.json: domainname: requires a new uts namespace");
}

static void
test_process (void)
{
  fails (HEAD "'process':{'args':[],'cwd':'/'}}",
         "config.json: process.args: must be a non-empty array of strings");
  fails (HEAD "'process':{'cwd':'/'}}",
         "config.json: process.args: must be a non-empty array of strings");
  fails (HEAD "'process':{'args':['sh'],'cwd':'tmp'}}",
         "config.json: process.cwd: must be an absolute path");
  fails (HEAD "'process':{'args':['sh']}}", "config.json: process.cwd: required");
  fails (PROC_WITH ("'env':['A=1','NOEQUALS']"),
         "config.json: process.env[1]: \"NOEQUALS\" is not of the form NAME=VALUE");
  fails (PROC_WITH ("'env':['=x']"),
         "config.json: process.env[0]: \"=x\" is not of the form NAME=VALUE");
  fails (PROC_WITH ("'rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]"),
         "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"");
  fails (PROC_WITH ("'rlimits':[{'soft':1,'hard':1}]"),
         "config.json: process.rlimits[0].type: required");
  fails (PROC_WITH ("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
                    "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]"),
         "config.json: process.rlimits[1]: duplicate rlimit \"RLIMIT_NOFILE\"");
  fails (PROC_WITH ("'rlimits':[{'type':'RLIMIT_NOFILE','soft':2048,'hard':1024}]"),
         "config.json: process.rlimits[0]: soft limit 2048 exceeds hard limit 1024");
  /* a well-formed name husk does not know is dropped with a warning (runc) */
  passes (PROC_WITH ("'capabilities':{'bounding':['CAP_KILL','CAP_FOO'],'ambient':['CAP_NOPE_2']}"),
          "unknown capability names pass validation");
  fails (PROC_WITH ("'capabilities':{'bounding':['CAP_KILL','CAP_foo']}"),
         "config.json: process.capabilities.bounding[1]: malformed capability \"CAP_foo\" (CAP_ "
         "and upper-case letters, digits or _)");
  fails (PROC_WITH ("'capabilities':{'ambient':['cap_kill']}"),
         "config.json: process.capabilities.ambient[0]: malformed capability \"cap_kill\" (CAP_ "
         "and upper-case letters, digits or _)");
  fails (PROC_WITH ("'capabilities':{'inheritable':['CAP_BPF','KILL']}"),
         "config.json: process.capabilities.inheritable[1]: malformed capability \"KILL\" (CAP_ "
         "and upper-case letters, digits or _)");
  fails (PROC_WITH ("'capabilities':{'permitted':['CAP_']}"),
         "config.json: process.capabilities.permitted[0]: malformed capability \"CAP_\" (CAP_ "
         "and upper-case letters, digits or _)");
  fails (PROC_WITH ("'oomScoreAdj':1001"),
         "config.json: process.oomScoreAdj: must be between -1000 and 1000");
  fails (PROC_WITH ("'ioPriority':{'class':'IOPRIO_CLASS_FOO'}"),
         "config.json: process.ioPriority.class: unknown class \"IOPRIO_CLASS_FOO\"");
  fails (PROC_WITH ("'ioPriority':{'priority':1}"),
         "config.json: process.ioPriority.class: required");
  fails (PROC_WITH ("'ioPriority':{'class':'IOPRIO_CLASS_RT','priority':8}"),
         "config.json: process.ioPriority.priority: must be between 0 and 7");
  fails (PROC_WITH ("'scheduler':{'policy':'SCHED_FOO'}"),
         "config.json: process.scheduler.policy: unknown policy \"SCHED_FOO\"");
  fails (PROC_WITH ("'scheduler':{'nice':1}"), "config.json: process.scheduler.policy: required");
  fails (PROC_WITH ("'scheduler':{'policy':'SCHED_BATCH','nice':20}"),
         "config.json: process.scheduler.nice: must be between -20 and 19");
  fails (PROC_WITH ("'scheduler':{'policy':'SCHED_FIFO','priority':100}"),
         "config.json: process.scheduler.priority: must be between 0 and 99");
  fails (PROC_WITH (
             "'scheduler':{'policy':'SCHED_RR','flags':['SCHED_FLAG_RECLAIM','SCHED_FLAG_FOO']}"),
         "config.json: process.scheduler.flags[1]: unknown flag \"SCHED_FLAG_FOO\"");
  fails (
      PROC_WITH ("'scheduler':{'policy':'SCHED_OTHER','runtime':1}"),
      "config.json: process.scheduler: runtime, deadline and period are for SCHED_DEADLINE only");
  passes (PROC_WITH ("'scheduler':{'policy':'SCHED_ISO'}"), "SCHED_ISO is a known policy");
  passes (PROC_WITH (
              "'scheduler':{'policy':'SCHED_IDLE','flags':['SCHED_FLAG_KEEP_POLICY',"
              "'SCHED_FLAG_KEEP_PARAMS','SCHED_FLAG_UTIL_CLAMP_MIN','SCHED_FLAG_UTIL_CLAMP_MAX']}"),
          "every SCHED_FLAG_*");
  fails (PROC_WITH ("'execCPUAffinity':{'initial':'a-b'}"),
         "config.json: process.execCPUAffinity.initial: invalid CPU list \"a-b\"");
  fails (PROC_WITH ("'execCPUAffinity':{'initial':'0','final':'1-'}"),
         "config.json: process.execCPUAffinity.final: invalid CPU list \"1-\"");
}

static void
test_mounts_hooks (void)
{
  fails (WITH ("'mounts':[{'destination':'/a'},{'destination':'/b'},{'destination':'/c'},"
               "{'destination':'/d'},{'type':'tmpfs','source':'tmpfs'}]"),
         "config.json: mounts[4].destination: required");
  /* runc 1.1 accepts a relative destination (deprecated): so does husk */
  passes (WITH ("'mounts':[{'destination':'relative/dir','type':'tmpfs','source':'tmpfs'}]"),
          "a relative mount destination is accepted like runc");
  fails (
      WITH (
          "'mounts':[{'destination':'/a','uidMappings':[{'containerID':0,'hostID':1,'size':1}]}]"),
      "config.json: mounts[0]: uidMappings and gidMappings must be given together");
  fails (WITH (
             "'mounts':[{'destination':'/a','uidMappings':[{'containerID':0,'hostID':1,'size':1}],"
             "'gidMappings':[{'containerID':0,'hostID':1,'size':0}]}]"),
         "config.json: mounts[0].gidMappings[0].size: must be greater than 0");
  fails (WITH ("'hooks':{'prestart':[{'path':'true'}]}"),
         "config.json: hooks.prestart[0].path: must be an absolute path");
  fails (WITH ("'hooks':{'createContainer':[{'args':['x']}]}"),
         "config.json: hooks.createContainer[0].path: required");
  fails (WITH ("'hooks':{'poststop':[{'path':'/bin/true'},{'path':'/bin/true','timeout':0}]}"),
         "config.json: hooks.poststop[1].timeout: must be greater than 0");
  fails (WITH ("'hooks':{'startContainer':[{'path':'/bin/true','timeout':-1}]}"),
         "config.json: hooks.startContainer[0].timeout: must be greater than 0");
  fails (WITH ("'hooks':{'poststart':[{'path':'/bin/true','env':['X']}]}"),
         "config.json: hooks.poststart[0].env[0]: \"X\" is not of the form NAME=VALUE");
  fails (WITH ("'hooks':{'createRuntime':[{'path':'/bin/true'}],'prestart':'x'}"),
         "config.json: hooks.prestart: expected an array");
}

static void
test_linux (void)
{
  fails (LINUX ("'namespaces':[{'type':'pid'},{'type':'mount'},{'type':'foo'}]"),
         "config.json: linux.namespaces[2].type: unknown namespace \"foo\"");
  fails (LINUX ("'namespaces':[{'type':'pid'},{'type':'mount'},{'type':'ipc'},{'type':'pid'}]"),
         "config.json: linux.namespaces[3]: duplicate namespace \"pid\"");
  fails (LINUX ("'namespaces':[{'path':'/proc/1/ns/pid'}]"),
         "config.json: linux.namespaces[0].type: required");
  fails (LINUX ("'namespaces':[{'type':'network','path':'netns/x'}]"),
         "config.json: linux.namespaces[0].path: must be an absolute path");
  fails (LINUX ("'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
         "config.json: linux.uidMappings: requires a user namespace");
  fails (LINUX ("'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
         "config.json: linux.gidMappings: requires a user namespace");
  fails (
      LINUX (
          "'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':1000,'size':0}]"),
      "config.json: linux.uidMappings[0].size: must be greater than 0");
  fails (
      LINUX (
          "'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':4294967295,'size':2}]"),
      "config.json: linux.uidMappings[0]: the range reaches 4294967295, which is not a valid id");
  fails (LINUX ("'timeOffsets':{'monotonic':{'secs':1}}"),
         "config.json: linux.timeOffsets: requires a time namespace");
  fails (LINUX ("'namespaces':[{'type':'time'}],'timeOffsets':{'realtime':{'secs':1}}"),
         "config.json: linux.timeOffsets[\"realtime\"]: unknown clock \"realtime\"");
  fails (LINUX (
             "'namespaces':[{'type':'time'}],'timeOffsets':{'boottime':{'nanosecs':1000000000}}"),
         "config.json: linux.timeOffsets[\"boottime\"].nanosecs: must be less than 1000000000");
  fails (LINUX ("'devices':[{'type':'x','path':'/dev/x'}]"),
         "config.json: linux.devices[0].type: unknown device type \"x\"");
  fails (LINUX ("'devices':[{'path':'/dev/x'}]"), "config.json: linux.devices[0].type: required");
  fails (LINUX ("'devices':[{'type':'c','path':'dev/x','major':1,'minor':3}]"),
         "config.json: linux.devices[0].path: must be an absolute path");
  passes (LINUX ("'devices':[{'type':'p','path':'/dev/fifo','major':1,'minor':2}]"),
          "a fifo with major and minor (optional for p, not forbidden)");
  fails (LINUX ("'devices':[{'type':'b','path':'/dev/sda','major':8}]"),
         "config.json: linux.devices[0]: major and minor are required for type \"b\"");
  fails (LINUX ("'devices':[{'type':'u','path':'/dev/u','major':-1,'minor':0}]"),
         "config.json: linux.devices[0].major: -1 is out of range (0 to 4095)");
  passes (
      LINUX (
          "'devices':[{'type':'u','path':'/dev/null2','major':1,'minor':3},{'type':'p','path':'/dev/p'}]"),
      "u and p devices");
  fails (LINUX ("'netDevices':{'eth0':{}}"),
         "config.json: linux.netDevices: requires a network namespace");
  fails (LINUX ("'namespaces':[{'type':'network'}],'netDevices':{'eth0':{'name':'a/b'}}"),
         "config.json: linux.netDevices[\"eth0\"].name: invalid interface name \"a/b\"");
  fails (LINUX ("'namespaces':[{'type':'network'}],'netDevices':{'averyveryverylongname':{}}"),
         "config.json: linux.netDevices[\"averyveryverylongname\"]: invalid interface name "
         "\"averyveryverylongname\"");
  fails (
      LINUX (
          "'namespaces':[{'type':'network'}],'netDevices':{'eth0':{'name':'x'},'eth1':{'name':'x'}}"),
      "config.json: linux.netDevices[\"eth1\"]: duplicate interface name \"x\" in the container");
#define NETNS "'namespaces':[{'type':'network'}],"
  fails (LINUX (NETNS "'netDevices':{'':{}}"),
         "config.json: linux.netDevices[\"\"]: invalid interface name \"\"");
  fails (
      LINUX (NETNS "'netDevices':{'eth0':{'name':'abcdefghijklmnop'}}"),
      "config.json: linux.netDevices[\"eth0\"].name: invalid interface name \"abcdefghijklmnop\"");
  passes (LINUX (NETNS "'netDevices':{'abcdefghijklmno':{'name':'abcdefghijklmno'}}"),
          "interface names of IFNAMSIZ-1 bytes");
  fails (LINUX (NETNS "'netDevices':{'eth0':{'name':'a:b'}}"),
         "config.json: linux.netDevices[\"eth0\"].name: invalid interface name \"a:b\"");
  fails (LINUX (NETNS "'netDevices':{'eth0':{'name':'a b'}}"),
         "config.json: linux.netDevices[\"eth0\"].name: invalid interface name \"a b\"");
  fails (LINUX (NETNS "'netDevices':{'..':{}}"),
         "config.json: linux.netDevices[\"..\"]: invalid interface name \"..\"");
  fails (
      LINUX (NETNS "'netDevices':{'eth0':{},'eth1':{'name':'eth0'}}"),
      "config.json: linux.netDevices[\"eth1\"]: duplicate interface name \"eth0\" in the container");
  /* runc: an empty name is no name (the host name is kept) */
  passes (LINUX (NETNS "'netDevices':{'eth0':{'name':''}}"), "an empty name keeps the host name");
  fails (
      LINUX (NETNS "'netDevices':{'eth0':{'name':''},'eth1':{'name':'eth0'}}"),
      "config.json: linux.netDevices[\"eth1\"]: duplicate interface name \"eth0\" in the container");
  /* kernel name templates: one %d; the kernel picks distinct names */
  passes (LINUX (NETNS "'netDevices':{'eth0':{'name':'net%d'},'eth1':{'name':'net%d'}}"),
          "the same template for two devices");
  fails (LINUX (NETNS "'netDevices':{'eth0':{'name':'net%s'}}"),
         "config.json: linux.netDevices[\"eth0\"].name: invalid interface name template \"net%s\" "
         "(one %d and no other %)");
  fails (LINUX (NETNS "'netDevices':{'eth0':{'name':'n%d%d'}}"),
         "config.json: linux.netDevices[\"eth0\"].name: invalid interface name template \"n%d%d\" "
         "(one %d and no other %)");
#undef NETNS
  fails (LINUX ("'intelRdt':{'closID':'..'}"),
         "config.json: linux.intelRdt.closID: invalid name \"..\"");
  fails (LINUX ("'sysctl':{'':'1'}"), "config.json: linux.sysctl: empty key");
  fails (
      WITH (
          "'hostname':'a','linux':{'namespaces':[{'type':'uts'}],'sysctl':{'kernel.hostname':'b'}}"),
      "config.json: linux.sysctl: \"kernel.hostname\" conflicts with hostname \"a\": set one of them");
  fails (
      WITH (
          "'domainname':'a','linux':{'namespaces':[{'type':'uts'}],'sysctl':{'kernel/domainname':'b'}}"),
      "config.json: linux.sysctl: \"kernel/domainname\" conflicts with domainname \"a\": set one of them");
  fails (LINUX ("'sysctl':{'kernel.hostname':'b'}"),
         "config.json: linux.sysctl: \"kernel.hostname\" requires a new uts namespace");
  fails (
      WITH (
          "'linux':{'namespaces':[{'type':'uts','path':'/proc/1/ns/uts'}],'sysctl':{'kernel.domainname':'b'}}"),
      "config.json: linux.sysctl: \"kernel.domainname\" requires a new uts namespace");
  passes (WITH ("'linux':{'namespaces':[{'type':'uts'}],'sysctl':{'kernel.hostname':'b'}}"),
          "kernel.hostname in a new uts namespace, without hostname");
  fails (LINUX ("'rootfsPropagation':'foo'"),
         "config.json: linux.rootfsPropagation: unknown propagation \"foo\"");
  passes (LINUX ("'rootfsPropagation':'runbindable'"), "rootfsPropagation runbindable");
  fails (LINUX ("'maskedPaths':['/proc/kcore','proc/keys']"),
         "config.json: linux.maskedPaths[1]: must be an absolute path");
  fails (LINUX ("'readonlyPaths':['sys']"),
         "config.json: linux.readonlyPaths[0]: must be an absolute path");
  fails (LINUX ("'personality':{'domain':'LINUX64'}"),
         "config.json: linux.personality.domain: unknown domain \"LINUX64\"");
  fails (LINUX ("'personality':{'flags':[]}"), "config.json: linux.personality.domain: required");
  fails (LINUX ("'personality':{'domain':'LINUX','flags':['SHORT_INODE']}"),
         "config.json: linux.personality.flags[0]: unsupported flag \"SHORT_INODE\"");
}

static void
test_memory_policy (void)
{
  fails (LINUX ("'memoryPolicy':{'mode':'MPOL_FOO'}"),
         "config.json: linux.memoryPolicy.mode: unknown mode \"MPOL_FOO\"");
  fails (LINUX ("'memoryPolicy':{'nodes':'0'}"), "config.json: linux.memoryPolicy.mode: required");
  fails (LINUX ("'memoryPolicy':{'mode':'MPOL_INTERLEAVE','nodes':'0','flags':['MPOL_F_FOO']}"),
         "config.json: linux.memoryPolicy.flags[0]: unknown flag \"MPOL_F_FOO\"");
  fails (LINUX ("'memoryPolicy':{'mode':'MPOL_DEFAULT','nodes':'0'}"),
         "config.json: linux.memoryPolicy.nodes: must be empty for MPOL_DEFAULT");
  fails (LINUX ("'memoryPolicy':{'mode':'MPOL_BIND'}"),
         "config.json: linux.memoryPolicy.nodes: required for MPOL_BIND");
  fails (LINUX ("'memoryPolicy':{'mode':'MPOL_PREFERRED_MANY','nodes':'x'}"),
         "config.json: linux.memoryPolicy.nodes: invalid node list \"x\"");
  fails (LINUX ("'memoryPolicy':{'mode':'MPOL_WEIGHTED_INTERLEAVE','nodes':'0-3',"
                "'flags':['MPOL_F_STATIC_NODES','MPOL_F_RELATIVE_NODES']}"),
         "config.json: linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES "
         "exclude each other");
  passes (LINUX ("'memoryPolicy':{'mode':'MPOL_LOCAL'}"), "MPOL_LOCAL");
  passes (LINUX ("'memoryPolicy':{'mode':'MPOL_PREFERRED','flags':['MPOL_F_RELATIVE_NODES']}"),
          "MPOL_PREFERRED without nodes");
}

static void
test_resources (void)
{
  fails (LINUX ("'resources':{'devices':[{'allow':true,'type':'x'}]}"),
         "config.json: linux.resources.devices[0].type: unknown device type \"x\"");
  fails (
      LINUX (
          "'resources':{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'access':'rwx'}]}"),
      "config.json: linux.resources.devices[1].access: invalid access \"rwx\" (a combination of r, w, m)");
  fails (LINUX ("'resources':{'memory':{'swappiness':101}}"),
         "config.json: linux.resources.memory.swappiness: 101 is out of range (0 to 100)");
  fails (LINUX ("'resources':{'cpu':{'cpus':'0-'}}"),
         "config.json: linux.resources.cpu.cpus: invalid CPU list \"0-\"");
  fails (LINUX ("'resources':{'cpu':{'mems':'a'}}"),
         "config.json: linux.resources.cpu.mems: invalid node list \"a\"");
  passes (LINUX ("'resources':{'cpu':{'cpus':'','mems':''}}"), "empty cpus and mems mean unset");
  passes (LINUX ("'resources':{'blockIO':{'weight':0}}"),
          "blockIO.weight 0 means unset (Docker sends it)");
  fails (LINUX ("'resources':{'blockIO':{'weight':5}}"),
         "config.json: linux.resources.blockIO.weight: 5 is out of range (10 to 1000)");
  fails (
      LINUX ("'resources':{'blockIO':{'weightDevice':[{'major':8,'minor':0,'leafWeight':1001}]}}"),
      "config.json: linux.resources.blockIO.weightDevice[0].leafWeight: 1001 is out of range (10 to 1000)");
  fails (LINUX ("'resources':{'hugepageLimits':[{'limit':1}]}"),
         "config.json: linux.resources.hugepageLimits[0].pageSize: required");
  fails (LINUX ("'resources':{'network':{'priorities':[{'priority':1}]}}"),
         "config.json: linux.resources.network.priorities[0].name: required");
  fails (LINUX ("'resources':{'unified':{'memory.max':'1','../x':'1'}}"),
         "config.json: linux.resources.unified[\"../x\"]: invalid cgroup file name");
}

static void
test_seccomp (void)
{
  fails (LINUX ("'seccomp':{}"), "config.json: linux.seccomp.defaultAction: required");
  fails (LINUX ("'seccomp':{'defaultAction':'SCMP_ACT_FOO'}"),
         "config.json: linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\"");
  fails (LINUX ("'seccomp':{'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/x'}"),
         "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
  fails (
      LINUX (
          "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_VAX']}"),
      "config.json: linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"");
  fails (LINUX ("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_FOO']}"),
         "config.json: linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\"");
  fails (
      LINUX (
          "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':'SCMP_ACT_NOPE'}]}"),
      "config.json: linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_NOPE\"");
  fails (LINUX ("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read']}]}"),
         "config.json: linux.seccomp.syscalls[0].action: required");
  fails (
      LINUX (
          "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':[],'action':'SCMP_ACT_KILL'}]}"),
      "config.json: linux.seccomp.syscalls[0].names: must be a non-empty array of strings");
  fails (
      LINUX (
          "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':'SCMP_ACT_KILL',"
          "'args':[{'index':0,'value':1,'op':'SCMP_CMP_EQ'},{'index':1,'value':1,'op':'SCMP_CMP_XX'}]}]}"),
      "config.json: linux.seccomp.syscalls[0].args[1].op: unknown operator \"SCMP_CMP_XX\"");
  fails (
      LINUX (
          "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':'SCMP_ACT_KILL',"
          "'args':[{'index':0,'value':1}]}]}"),
      "config.json: linux.seccomp.syscalls[0].args[0].op: required");
  fails (
      LINUX (
          "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':'SCMP_ACT_KILL',"
          "'args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]}"),
      "config.json: linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0 to 5)");
  fails (
      LINUX (
          "'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_NOTIFY'}]}"),
      "config.json: linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY");
  passes (
      LINUX (
          "'seccomp':{'defaultAction':'SCMP_ACT_KILL_THREAD','syscalls':[{'names':['not_a_syscall'],"
          "'action':'SCMP_ACT_LOG'}]}"),
      "unknown syscall names are not an error");
  passes (LINUX ("'seccomp':{'defaultAction':'SCMP_ACT_TRACE','flags':['SECCOMP_FILTER_FLAG_TSYNC',"
                 "'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'],'architectures':['SCMP_ARCH_SHEB']}"),
          "every seccomp flag and the newest architectures");
}

static void
test_personality_flags_parse (void)
{
  struct husk_error err = { 0 };
  struct husk_spec *s = NULL;
  char *json = dq (LINUX ("'personality':{'domain':'LINUX','flags':['A','B']}"));
  is_int (husk_spec_parse (json, strlen (json), NULL, &s, &err), 0, "personality flags parse");
  ok (s && s->linux_->personality->domain == HUSK_SPEC_PER_LINUX
          && s->linux_->personality->flags_len == 2,
      "personality flags read");
  husk_spec_free (s);
  free (json);
  s = NULL;
  json = dq ("{'process':{'args':1}}");
  husk_spec_parse (json, strlen (json), NULL, &s, &err);
  is_str (err.msg, "config.json: process.args: expected an array", "NULL name means config.json");
  free (json);
  is_int (husk_spec_validate (NULL, "x.json", &err), -EINVAL, "validate NULL");
}

/* The strict JSON front end: NUL bytes, repeated keys, depth (issue 10). */
static void
test_strict_json (void)
{
  fails (PROC_WITH ("'env':['A=b\\u0000c']"),
         "config.json: process.env[0]: string contains a NUL character (\\u0000)");
  fails (HEAD "'process':{'args':['sh\\u0000x'],'cwd':'/'}}",
         "config.json: process.args[0]: string contains a NUL character (\\u0000)");
  fails (WITH ("'annotations':{'a\\u0000b':'c'}"),
         "config.json: annotations: key contains a NUL character (\\u0000)");
  fails (WITH ("'hostname':'a','hostname':'b'"), "config.json: duplicate key \"hostname\"");
  fails (LINUX (
             "'timeOffsets':{'boottime':{'secs':1},'monotonic':{'secs':1},'boottime':{'secs':2}}"),
         "config.json: linux.timeOffsets: duplicate key \"boottime\"");
  fails (LINUX ("'sysctl':{'a':'1','b':'1','c':'1','d':'1','e':'1','f':'1','g':'1','h':'1',"
                "'i':'1','j':'1','k':'1','l':'1','m':'1','n':'1','o':'1','p':'1','q':'1','a':'2'}"),
         "config.json: linux.sysctl: duplicate key \"a\"");
  /* a key repeated in an array element names the element */
  fails (LINUX ("'namespaces':[{'type':'pid'},{'type':'ipc','type':'uts'}]"),
         "config.json: linux.namespaces[1]: duplicate key \"type\"");
  /* strict UTF-8: an overlong "/" and an encoded surrogate */
  {
    const char *overlong = "{\"ociVersion\":\"1.0.0\",\"hostname\":\"a\xc0\xaf..\"}";
    fails_raw (overlong, strlen (overlong), "config.json: hostname: string is not valid UTF-8");
    const char *surrogate = "{\"ociVersion\":\"1.0.0\",\"hostname\":\"a\xed\xa0\x80\"}";
    fails_raw (surrogate, strlen (surrogate), "config.json: hostname: string is not valid UTF-8");
    const char *key = "{\"ociVersion\":\"1.0.0\",\"annotations\":{\"\xf4\x90\x80\x80\":\"x\"}}";
    fails_raw (key, strlen (key), "config.json: annotations: key is not valid UTF-8");
  }
  /* comments are not JSON */
  fails (
      WITH ("/* x */ 'hostname':'a'"),
      "config.json: line 1 column 83: parse error: probable comment found in input text, comments are not enabled.");

  /* depth: 10000 levels pass the parser, 10001 do not */
  for (int depth = 9999; depth <= 10001; depth += 2)
    {
      size_t n = (size_t) depth * 2 + 16;
      char *text = malloc (n);
      size_t len = 0;
      len += (size_t) sprintf (text, "{\"x\":");
      for (int i = 0; i < depth - 1; i++)
        text[len++] = '[';
      for (int i = 0; i < depth - 1; i++)
        text[len++] = ']';
      text[len++] = '}';
      struct husk_error err = { 0 };
      yajl_val tree = NULL;
      int ret = hk_json_parse (text, len, "t.json", &tree, &err);
      if (depth <= 10000)
        ok (ret == 0 && tree != NULL, "JSON nested 9999 levels is accepted");
      else
        ok (ret == -EINVAL && strstr (err.msg, "exceeded max depth") != NULL,
            "JSON nested 10001 levels is refused: exceeded max depth");
      if (tree)
        yajl_tree_free (tree);
      free (text);
    }
}

static void
check_sysctl_path (const char *key, const char *want)
{
  char out[64] = "";
  int ret = husk_spec_sysctl_path (key, out, sizeof out);
  char desc[160];
  snprintf (desc, sizeof desc, "sysctl key \"%s\" -> %s", key, want ? want : "refused");
  if (want)
    {
      if (!tap_ok_ (ret == 0 && strcmp (out, want) == 0, __FILE__, __LINE__, desc))
        printf ("#   got %d \"%s\"\n", ret, out);
    }
  else if (!tap_ok_ (ret == -EINVAL && out[0] == '\0', __FILE__, __LINE__, desc))
    printf ("#   got %d \"%s\"\n", ret, out);
}

static void
test_sysctl_names (void)
{
  check_sysctl_path ("net.ipv4.ip_forward", "net/ipv4/ip_forward");
  check_sysctl_path ("net/ipv4/ip_forward", "net/ipv4/ip_forward");
  check_sysctl_path ("net.ipv4.conf.eth0/100.forwarding", "net/ipv4/conf/eth0.100/forwarding");
  check_sysctl_path ("net/ipv4/conf/eth0.100/forwarding", "net/ipv4/conf/eth0.100/forwarding");
  check_sysctl_path ("kernel.shmmax", "kernel/shmmax");
  check_sysctl_path ("net/../kernel/printk", NULL);
  check_sysctl_path ("net/core/../../kernel/core_pattern", NULL);
  check_sysctl_path ("net.core/../../kernel.core_pattern", NULL);
  check_sysctl_path ("net..kernel", NULL);
  check_sysctl_path ("net/./ipv4", NULL);
  check_sysctl_path ("/net/ipv4", NULL);
  check_sysctl_path ("net/", NULL);
  check_sysctl_path ("net.", NULL);
  check_sysctl_path (".", NULL);
  check_sysctl_path ("..", NULL);
  check_sysctl_path ("", NULL);
  check_sysctl_path ("net.ipv4.a.very.long.name.that.does.not.fit.in.sixty.four.bytes.x", NULL);
  fails (LINUX ("'sysctl':{'net/../kernel/printk_ratelimit_burst':'1'}"),
         "config.json: linux.sysctl: \"net/../kernel/printk_ratelimit_burst\" is not a valid "
         "sysctl name (an empty, \".\" or \"..\" component)");
}

static void
test_ids (void)
{
  fails (PROC_WITH ("'user':{'uid':4294967295,'gid':0}"),
         "config.json: process.user.uid: 4294967295 is out of range (0 to 2147483647)");
  fails (PROC_WITH ("'user':{'uid':0,'gid':2147483648}"),
         "config.json: process.user.gid: 2147483648 is out of range (0 to 2147483647)");
  fails (
      PROC_WITH ("'user':{'uid':0,'gid':0,'additionalGids':[1,4294967295]}"),
      "config.json: process.user.additionalGids[1]: 4294967295 is out of range (0 to 2147483647)");
  fails (LINUX ("'devices':[{'path':'/dev/x','type':'c','major':1,'minor':3,'uid':2147483648}]"),
         "config.json: linux.devices[0].uid: 2147483648 is out of range (0 to 2147483647)");
  fails (
      LINUX (
          "'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':4294967295,'size':1}],"
          "'gidMappings':[{'containerID':0,'hostID':1,'size':1}]"),
      "config.json: linux.uidMappings[0]: the range reaches 4294967295, which is not a valid id");
  fails (
      LINUX (
          "'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':2147483648,'hostID':0,'size':1}],"
          "'gidMappings':[{'containerID':0,'hostID':1,'size':1}]"),
      "config.json: linux.uidMappings[0]: the container side goes past 2147483647");
  passes (PROC_WITH ("'user':{'uid':2147483647,'gid':2147483647}"), "uid and gid 2147483647 pass");
}

int
main (void)
{
  test_json ();
  test_strict_json ();
  test_sysctl_names ();
  test_ids ();
  test_types ();
  test_top ();
  test_process ();
  test_mounts_hooks ();
  test_linux ();
  test_memory_policy ();
  test_resources ();
  test_seccomp ();
  test_personality_flags_parse ();
  return tap_done ();
}
