/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The libcryptsetup code on plain files: building a hash tree, verifying it in userspace, and every way
 * that must fail — a flipped byte, another root hash, a root hash of the wrong length, a missing file.
 * Activation needs device-mapper with dm-verity, which is tested by booting (the VM suite). */

#include <fcntl.h>
#include <sys/random.h>

#include "fs-util.h"
#include "tests.h"
#include "verity.h"

static char *dir;
static char *data, *hash, *both;

static void setup(void) {
        _cleanup_free_ char *buf = malloc(1 << 20);
        FILE *f;

        dir = test_tmpdir();
        data = path_join(dir, "usr.img");
        hash = path_join(dir, "usr.verity");
        both = path_join(dir, "usr-with-tree.img");
        ck_assert_ptr_nonnull(buf);
        ck_assert_int_eq(getrandom(buf, 1 << 20, 0), 1 << 20);
        f = fopen(data, "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(buf, 1, 1 << 20, f), 1 << 20);
        ck_assert_int_eq(fclose(f), 0);
}

static void teardown(void) {
        free(data);
        free(hash);
        free(both);
        test_tmpdir_remove(dir);
}

static void flip_byte(const char *path, off_t at) {
        int fd = open(path, O_RDWR | O_CLOEXEC);
        unsigned char c;

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(pread(fd, &c, 1, at), 1);
        c ^= 0x01;
        ck_assert_int_eq(pwrite(fd, &c, 1, at), 1);
        close(fd);
}

START_TEST(test_format_verify) {
        VerityInfo v = {};
        _cleanup_free_ char *error = NULL;

        ck_assert_int_eq(verity_format(data, hash, 0, &v, &error), 0);
        ck_assert_uint_eq(strlen(v.root_hash), 64);
        ck_assert_uint_eq(strlen(v.salt), 64);
        ck_assert_str_eq(v.hash_name, "sha256");
        ck_assert_uint_eq(v.data_blocks, 256);
        ck_assert_uint_eq(v.data_block_size, 4096);
        ck_assert_ptr_nonnull(v.uuid);

        ck_assert_int_eq(verity_verify(data, hash, 0, v.root_hash, &error), 0);

        /* Another root hash: does not match the tree. */
        {
                _cleanup_free_ char *other = strdup(v.root_hash);
                other[0] = other[0] == '0' ? '1' : '0';
                ck_assert_int_eq(verity_verify(data, hash, 0, other, &error), -EBADMSG);
                error = mfree(error);
        }
        ck_assert_int_eq(verity_verify(data, hash, 0, "0011", &error), -EMSGSIZE);
        ck_assert_int_eq(verity_verify(data, hash, 0, "zz", &error), -EINVAL);

        /* One flipped byte in the data, at the end of the image: caught. */
        flip_byte(data, (1 << 20) - 1);
        ck_assert_int_eq(verity_verify(data, hash, 0, v.root_hash, &error), -EPERM);
        ck_assert_ptr_nonnull(error);
        verity_info_done(&v);
}
END_TEST

START_TEST(test_tree_behind_data) {
        VerityInfo v = {};
        _cleanup_free_ char *error = NULL, *buf = NULL;
        _cleanup_close_ int in = open(data, O_RDONLY | O_CLOEXEC), out = -EBADF;
        size_t n;

        ck_assert_int_ge(in, 0);
        ck_assert_int_eq(read_full_fd(in, 2 << 20, &buf, &n), 0);
        out = open(both, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        ck_assert_int_ge(out, 0);
        ck_assert_int_eq(write(out, buf, n), (ssize_t) n);

        /* The tree may not overwrite the data. */
        ck_assert_int_eq(verity_format(both, both, 4096, &v, &error), -EINVAL);
        ck_assert_int_eq(verity_format(both, both, 1 << 20, &v, &error), 0);
        ck_assert_int_eq(verity_verify(both, both, 1 << 20, v.root_hash, &error), 0);
        verity_info_done(&v);
}
END_TEST

START_TEST(test_bad_inputs) {
        VerityInfo v = {};
        _cleanup_free_ char *error = NULL, *odd = path_join(dir, "odd.img"), *missing = path_join(dir, "missing.img");
        FILE *f = fopen(odd, "we");

        ck_assert_ptr_nonnull(f);
        fputs("not a multiple of 4096", f);
        fclose(f);
        ck_assert_int_eq(verity_format(odd, hash, 0, &v, &error), -EINVAL);
        ck_assert_int_eq(verity_format(missing, hash, 0, &v, &error), -ENOENT);
        ck_assert_int_eq(verity_format(dir, hash, 0, &v, &error), -EBADFD);
        ck_assert_int_lt(verity_verify(data, missing, 0, "00", &error), 0);
}
END_TEST

/* Nothing to detach is not an error (the unit that stops /usr runs whether or not it was set up). */
START_TEST(test_detach_absent) {
        _cleanup_free_ char *error = NULL;

        /* Device-mapper answers only CAP_SYS_ADMIN; where it has no node, libdevmapper would make one. */
        if (geteuid() != 0 || access("/dev/mapper/control", F_OK) < 0)
                return;
        ck_assert_int_eq(verity_detach("hardenctl-test-no-such-device", &error), 0);
        ck_assert_ptr_null(error);
}
END_TEST

START_TEST(test_root_hash_parse) {
        uint8_t b[VERITY_ROOT_HASH_MAX];

        ck_assert_int_eq(verity_root_hash_parse("00ff10", b), 3);
        ck_assert_uint_eq(b[1], 0xff);
        ck_assert_int_eq(verity_root_hash_parse("0", b), -EINVAL);
        ck_assert_int_eq(verity_root_hash_parse("", b), -EINVAL);
        ck_assert_int_eq(verity_root_hash_parse("0g", b), -EINVAL);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("verity");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_format_verify);
        tcase_add_test(tc, test_tree_behind_data);
        tcase_add_test(tc, test_bad_inputs);
        tcase_add_test(tc, test_root_hash_parse);
        tcase_add_test(tc, test_detach_absent);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
