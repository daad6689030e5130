# node-gyp fallback build. Sources, defines and per-ISA flags come from
# native/sources.json (through native/sources.js), the same list CMakeLists.txt
# reads. gyp has no per-file flags, so each ISA's kernels are a static library
# compiled with that ISA's flags only.
{
  'target_defaults': {
    'defines': ['<!@(node native/sources.js defines)'],
    'include_dirs': [
      '<!@(node native/sources.js include_dirs)',
      "<!(node -p \"require('node-addon-api').include_dir\")",
    ],
    'cflags': ['<!@(node native/sources.js flags)', '-fPIC', '-fvisibility=hidden'],
    'cflags_cc': ['-std=c++17', '-fexceptions'],
    'cflags_cc!': ['-fno-exceptions', '-std=gnu++17', '-std=gnu++20'],
    'cflags!': ['-fno-exceptions'],
    'xcode_settings': {
      'GCC_ENABLE_CPP_EXCEPTIONS': 'YES',
      'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
      'OTHER_CFLAGS': ['<!@(node native/sources.js flags)'],
    },
    'msvs_settings': { 'VCCLCompilerTool': { 'ExceptionHandling': 1, 'AdditionalOptions': ['/fp:precise'] } },
  },
  'targets': [
    {
      'target_name': 'gs_kernels_scalar',
      'type': 'static_library',
      'sources': ['<!@(node native/sources.js isa scalar sources)'],
    },
    {
      'target_name': 'gradscope',
      'sources': ['<!@(node native/sources.js sources)'],
      'defines': ['<!@(node native/sources.js isa scalar define)'],
      'dependencies': ['gs_kernels_scalar'],
      'conditions': [
        ['target_arch=="x64"', {
          'dependencies': ['gs_kernels_avx2', 'gs_kernels_avx512'],
          'defines': ['<!@(node native/sources.js isa avx2 define)', '<!@(node native/sources.js isa avx512 define)'],
        }],
        ['target_arch=="arm64"', {
          'dependencies': ['gs_kernels_neon'],
          'defines': ['<!@(node native/sources.js isa neon define)'],
        }],
      ],
    },
  ],
  'conditions': [
    ['target_arch=="x64"', {
      'targets': [
        {
          'target_name': 'gs_kernels_avx2',
          'type': 'static_library',
          'sources': ['<!@(node native/sources.js isa avx2 sources)'],
          'cflags': ['<!@(node native/sources.js isa avx2 flags)'],
          'xcode_settings': { 'OTHER_CFLAGS': ['<!@(node native/sources.js isa avx2 flags)'] },
          'msvs_settings': { 'VCCLCompilerTool': { 'AdditionalOptions': ['/arch:AVX2'] } },
        },
        {
          'target_name': 'gs_kernels_avx512',
          'type': 'static_library',
          'sources': ['<!@(node native/sources.js isa avx512 sources)'],
          'cflags': ['<!@(node native/sources.js isa avx512 flags)'],
          'xcode_settings': { 'OTHER_CFLAGS': ['<!@(node native/sources.js isa avx512 flags)'] },
          'msvs_settings': { 'VCCLCompilerTool': { 'AdditionalOptions': ['/arch:AVX512'] } },
        },
      ],
    }],
    ['target_arch=="arm64"', {
      'targets': [
        {
          'target_name': 'gs_kernels_neon',
          'type': 'static_library',
          'sources': ['<!@(node native/sources.js isa neon sources)'],
        },
      ],
    }],
  ],
}
