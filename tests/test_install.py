"""The package imports as installed (not from the notebooks), and the library matches the notebooks."""
import subprocess, sys
from pathlib import Path


def test_import_installed_package(tmp_path):
    # run from an unrelated folder, so the import comes from the installed package
    code = ("import robust_contrastive.models, robust_contrastive.data, robust_contrastive.augment, robust_contrastive.core;"
            "import robust_contrastive as rc; print(rc.__version__, robust_contrastive.models.__file__)")
    out = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert 'robust_contrastive' in out.stdout


def test_public_names():
    from robust_contrastive import models, data, augment, core
    for mod, names in [(models, ['build_contrastive_net', 'to_dual_bn', 'bn_route', 'single_to_dual_state_dict']),
                       (data, ['get_dataset', 'EmbeddedShapes', 'unlabeled_split', 'ContrastiveViews']),
                       (augment, ['acl_transform', 'BatchedAugment']),
                       (core, ['get_device', 'seed_everything', 'save_checkpoint', 'load_checkpoint', 'progress'])]:
        missing = [n for n in names if n not in mod.__all__]
        assert not missing, f"{mod.__name__} does not export {missing}"
