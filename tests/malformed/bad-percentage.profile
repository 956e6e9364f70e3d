[Etc]
Size=150%
