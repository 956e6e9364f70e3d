[Mounts]
Options=/tmp nodev,exec
