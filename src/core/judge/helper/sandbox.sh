# The namespace sandbox built by a shell (sandbox.ts runs it with `unshare` where no C compiler built the
# helper). The tag and exit status of `fail` are sandbox.ts's SANDBOX_TAG and SANDBOX_SETUP_FAILED (a test checks).
# Runs as PID 1 of the new namespaces, as root of the new user namespace ($1 cwd, $2 hide, $3 keep).
# 1. cwd bound onto itself (so it stays writable), then every mount outside /proc, /sys and /dev
#    remounted read-only, keeping the flags a remount may not clear. Mount points with escaped
#    characters in /proc/self/mounts (spaces) are skipped.
# 2. Toolchains and the judge's folder inside the hidden folders are parked on a scratch tmpfs over /dev
#    (never hidden; cwd may be), the homes and temporary folders covered by an empty tmpfs, the parked
#    directories moved back into place.
# 3. A private /dev/shm. The program runs in a further user + mount namespace: there all these mounts
#    are locked, so the program (root of its own namespace) can neither unmount a cover nor remount rw.
# The program is a child, not PID 1, so signals behave as usual; its status comes back as the shell's
# ($? is 128+N when signal N killed it). When PID 1 exits the kernel kills everything left.
fail() { echo "mapcoder-lite sandbox: $*" >&2; exit 125; }
cwd=$1 hide=$2 keep=$3; shift 3
mount -n --bind "$cwd" "$cwd" || fail "bind $cwd"
while read -r _ m _ o _; do
  case "$m" in "$cwd"|/proc|/proc/*|/sys|/sys/*|/dev|/dev/*|*\\*) continue;; esac
  f=ro; for x in nosuid nodev noexec noatime nodiratime relatime strictatime; do case ",$o," in *",$x,"*) f="$f,$x";; esac; done
  mount -n -o "remount,bind,$f" "$m" || fail "read-only $m"
done < /proc/self/mounts
IFS='
'
if [ -n "$keep" ]; then
  mount -n -t tmpfs -o size=64k mcl-scratch /dev || fail "scratch tmpfs"
  i=0; for k in $keep; do i=$((i+1)); mkdir "/dev/$i" && mount -n --rbind "$k" "/dev/$i" || fail "park $k"; done
fi
for h in $hide; do mount -n -t tmpfs -o size=16m,mode=1777,nosuid,nodev mcl-hidden "$h" || fail "hide $h"; done
if [ -n "$keep" ]; then
  i=0; for k in $keep; do i=$((i+1)); mkdir -p "$k" && mount -n --move "/dev/$i" "$k" || fail "restore $k"; done
  umount -n /dev || fail "scratch umount"
fi
if [ -d /dev/shm ]; then mount -n -t tmpfs -o size=64m,nosuid,nodev mcl-shm /dev/shm || fail "/dev/shm"; fi
cd "$cwd" || fail "cd $cwd"
unshare --user --map-root-user --mount -- "$@"
exit $?
