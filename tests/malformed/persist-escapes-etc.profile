[Etc]
Persist=../root/.ssh/authorized_keys
